import FuzzSupport
import PodiumDomain

runFuzzer(test)

/// `bundle.yaml` parsing: a command to run, or a `bad_bundle` refusal; never a crash or a hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: bytes(data, size), as: UTF8.self)
    do {
        let manifest = try BundleManifests.parse(text)
        check(!manifest.command.isEmpty, "an empty command accepted")
    } catch {
        check(error.code == .badBundle, "refused with \(error)")
    }
    return 0
}
