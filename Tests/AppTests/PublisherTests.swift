import Foundation
import PodiumApp
import PodiumChecks
import PodiumDomain
import Testing

@Suite("Publisher.publish in-process")
struct PublisherTests {
    @Test func aNewVersionThenUnchanged() throws {
        let c = try BinaryChallenge()
        defer { c.remove() }
        let first = try c.publish()
        #expect(first.id == "coin" && first.version == 1)
        #expect(!first.unchanged && !first.rescoreDue)
        #expect(!first.findings.contains { $0.severity == .block }, "\(first.findings)")
        let records = try c.home.records("coin")
        #expect(try records.versions().map(\.number) == [1])
        #expect(try records.latestVersion()?.contentHash == first.contentHash)
        #expect(try records.allowances(version: 1).isEmpty)
        for name in ["challenge.yaml", "train.csv", "test.csv", "solution.csv"] {
            let snapshot = try String(contentsOfFile: c.home.path + "/coin/versions/1/" + name, encoding: .utf8)
            #expect(try snapshot == String(contentsOfFile: c.folder + "/" + name, encoding: .utf8), "\(name)")
        }
        // The same folder again: the same version, nothing recorded.
        let again = try c.publish()
        #expect(again.unchanged && again.version == 1 && again.contentHash == first.contentHash)
        #expect(try records.versions().count == 1)
    }

    @Test func aMissingFileOrInconsistentIdsAreRefusedBeforeAnythingIsRecorded() throws {
        let a = try Arena()
        defer { a.remove() }
        let services = a.services()
        let test = try String(contentsOfFile: a.folder + "/test.csv", encoding: .utf8)
        try FileManager.default.removeItem(atPath: a.folder + "/test.csv")
        let missing = failure { () throws(JudgeError) in try a.publish() }
        #expect(missing?.code == .missingFile && missing?.file == "test.csv", "\(String(describing: missing))")
        try (test + "21,21\n").write(toFile: a.folder + "/test.csv", atomically: true, encoding: .utf8)
        let extra = failure { () throws(JudgeError) in try a.publish() }
        #expect(extra?.code == .inconsistentIds && extra?.file == "test.csv")
        #expect(extra?.message.contains("21") == true, "\(String(describing: extra))")
        #expect(try services.challenges.records("arena") == nil)
        try test.write(toFile: a.folder + "/test.csv", atomically: true, encoding: .utf8)
        #expect(try a.publish().version == 1)
    }

    @Test func aChangedFolderNeedsForceAndThenMakesAVersionDueForRescore() throws {
        let a = try Arena()
        defer { a.remove() }
        let first = try a.publish()
        #expect(first.version == 1)
        try a.writeSolution(publicShift: 1)
        let refused = failure { () throws(JudgeError) in try a.publish() }
        #expect(refused?.code == .alreadyPublished, "\(String(describing: refused))")
        #expect(try a.records().versions().map(\.number) == [1])
        let forced = try a.publish(force: true)
        #expect(forced.version == 2 && forced.rescoreDue && !forced.unchanged)
        #expect(forced.contentHash != first.contentHash)
        let versions = try a.records().versions()
        #expect(versions.map(\.number) == [1, 2] && versions.map(\.forced) == [false, true])
        // Version 1's snapshot keeps its answer key.
        let v1 = try String(contentsOfFile: a.home.path + "/arena/versions/1/solution.csv", encoding: .utf8)
        let v2 = try String(contentsOfFile: a.home.path + "/arena/versions/2/solution.csv", encoding: .utf8)
        #expect(v1.contains("\n1,1.0,Public\n") && v2.contains("\n1,2.0,Public\n"))
    }

    @Test func leakageBlocksUnlessEveryBlockingCheckIsAllowed() throws {
        let a = try Arena()
        defer { a.remove() }
        let services = a.services()
        // No allowance: every blocking check is named, and nothing is recorded.
        let blocked = failure { () throws(JudgeError) in
            try Publisher.publish(a.folder, services: services, force: false)
        }
        #expect(blocked?.code == .leakageBlocked)
        #expect(Set(blocked?.checks ?? []) == Set(Arena.leaks), "\(String(describing: blocked))")
        #expect(try services.challenges.records("arena") == nil)
        // One check left out: refused for that one alone.
        var some = Arena.allowances
        some[.idOrderLeak] = nil
        let partly = failure { () throws(JudgeError) in
            try Publisher.publish(a.folder, services: services, force: false, allow: some)
        }
        #expect(partly?.code == .leakageBlocked && partly?.checks == [.idOrderLeak])
        // All allowed: published, and the allowances are stored with the version.
        let published = try Publisher.publish(a.folder, services: services, force: false, allow: Arena.allowances)
        #expect(published.version == 1)
        #expect(Set(published.findings.filter { $0.severity == .block }.map(\.name)) == Set(Arena.leaks))
        #expect(try a.records().allowances(version: 1) == Arena.allowances)
        #expect(try services.open("arena").allowances() == Arena.allowances)
    }
}
