/// The internal entry points that the fuzz targets in `Fuzz/` need, and nothing more.
public enum FuzzEntry {
    /// Parses the text of a `bundle.yaml`: the command it runs and its `training` keys, or a
    /// `bad_bundle` refusal.
    public static func bundleManifest(_ text: String) throws(JudgeError) -> (
        command: [String], trainingIds: String?, trainingMaxTime: String?
    ) {
        let manifest = try BundleManifests.parse(text)
        return (manifest.command, manifest.trainingIds, manifest.trainingMaxTime)
    }
}
