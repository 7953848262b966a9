import PodiumParallel

/// What the target column of a solution holds.
public enum TargetKind: Sendable {
    /// 0 or 1.
    case binary
    /// Any finite number (regression).
    case number
    /// One of the declared classes, or — when none are declared — any label, the classes then
    /// being the distinct labels in sorted order.
    case category([String]?)
}

/// A parsed `solution.csv` of an id-keyed challenge (binary, multiclass, regression).
public struct Solution: Sendable {
    public let ids: IdColumn
    public let usage: [Usage]
    /// The target of regression challenges.
    public let numbers: [Double]
    /// The target of binary challenges, 0 or 1.
    public let binary: [UInt8]
    /// The target class index for multiclass challenges.
    public let classIndex: [Int32]
    /// The classes, in declared order.
    public let classes: [String]
    /// The table from id keys to rows, built at once when the ids are not in order, else on
    /// first need (`lookupTable`).
    let table: KeyTable?
    private let lazyTable = LazyKeyTable()

    /// How it was read: its key table, if built later, is built the same way.
    let reading: Reading

    public var count: Int { ids.count }

    /// Reads a solution: `id,<target>,Usage`, every id unique.
    public static func read(
        _ buffer: InputBytes, id: String, target: String, kind: TargetKind, file: String = "solution.csv",
        reading: Reading = .standard
    ) throws(IntakeError) -> Solution {
        var reader = CSVReader(buffer)
        let header = try Header.read(&reader, file: file)
        let idColumn = try header.require(id)
        let targetColumn = try header.require(target)
        let usageColumn = try header.requireUsage()
        switch kind {
        case .binary, .number:
            if let fast = FastColumns.solution(
                buffer, from: reader.position, width: header.names.count, id: idColumn, target: targetColumn,
                usage: usageColumn, binary: { if case .binary = kind { return true } else { return false } }(),
                reading: reading),
                !fast.spans.isEmpty
            {
                let ids = IdColumn(buffer: buffer, spans: fast.spans)
                let table = try uniqueIds(ids, file: file, reading: reading)
                return Solution(
                    ids: ids, usage: fast.usage, numbers: fast.numbers, binary: fast.binary, classIndex: [],
                    classes: [],
                    table: table, reading: reading)
            }
        case .category: break
        }
        var ids = IdColumn(buffer: buffer)
        var usage: [Usage] = []
        var numbers: [Double] = []
        var binary: [UInt8] = []
        var labels: [Int32] = []
        var lookup: ClassLookup? = nil
        var seenLabels: [String: Int32] = [:]
        if case .category(let declared?) = kind { lookup = ClassLookup(declared) }
        while try reader.next() {
            try reader.requireWidth(header)
            try reader.requireId(idColumn, header)
            try ids.append(reader.fields[idColumn], of: reader, row: reader.row, column: header.names[idColumn])
            guard let u = Usage.parse(reader.raw(reader.fields[usageColumn])) else {
                throw IntakeError(
                    .unknownLabel,
                    "Usage must be Public, Private or Ignored, not '\(reader.quoted(reader.fields[usageColumn]))'",
                    row: reader.row, column: header.names[usageColumn])
            }
            usage.append(u)
            switch kind {
            case .binary:
                let v = try reader.number(targetColumn, header)
                guard v == 0 || v == 1 else {
                    throw IntakeError(
                        .unknownLabel,
                        "a binary label must be 0 or 1, not '\(reader.quoted(reader.fields[targetColumn]))'",
                        row: reader.row, column: target)
                }
                binary.append(v == 1 ? 1 : 0)
            case .number:
                numbers.append(try reader.number(targetColumn, header))
            case .category:
                let raw = reader.raw(reader.fields[targetColumn])
                if let lookup {
                    guard let k = lookup.index(of: raw), !reader.fields[targetColumn].escaped else {
                        throw IntakeError(
                            .unknownLabel,
                            "'\(reader.quoted(reader.fields[targetColumn]))' is not a declared class "
                                + "(\(lookup.names.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ", ")))",
                            row: reader.row, column: target)
                    }
                    labels.append(k)
                } else {
                    let name = reader.string(of: reader.fields[targetColumn])
                    if name.isEmpty {
                        throw IntakeError(.emptyValue, "the label is empty", row: reader.row, column: target)
                    }
                    let k = seenLabels[name] ?? Int32(seenLabels.count)
                    seenLabels[name] = k
                    labels.append(k)
                }
            }
        }
        guard ids.count > 0 else { throw IntakeError(.emptyFile, "the \(file) has a header but no rows") }
        var classes: [String] = []
        if case .category(let declared) = kind {
            if let declared {
                classes = declared
            } else {
                // No declared classes: the distinct labels, sorted.
                classes = seenLabels.keys.sorted()
                let remap = seenLabels.reduce(into: [Int32](repeating: 0, count: classes.count)) { r, e in
                    r[Int(e.value)] = Int32(classes.firstIndex(of: e.key)!)
                }
                labels = labels.map { remap[Int($0)] }
            }
        }
        let table = try uniqueIds(ids, file: file, reading: reading)
        return Solution(
            ids: ids, usage: usage, numbers: numbers, binary: binary, classIndex: labels, classes: classes,
            table: table,
            reading: reading)
    }

    init(
        ids: IdColumn, usage: [Usage], numbers: [Double], binary: [UInt8], classIndex: [Int32], classes: [String],
        table: KeyTable?,
        reading: Reading
    ) {
        self.reading = reading
        self.ids = ids
        self.usage = usage
        self.numbers = numbers
        self.binary = binary
        self.classIndex = classIndex
        self.classes = classes
        self.table = table
    }

    /// The position of an id: by the key table once there is one, else (ids in order) by
    /// binary search.
    public func locate(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        if let table = builtTable {
            return ids.view { table.find(key, $0) }
        }
        return ids.view { search(key, $0) }
    }

    /// The key table if there is one yet.
    var builtTable: KeyTable? { table ?? lazyTable.built }

    /// The position of an id among ids in (length, bytes) order, by binary search.
    @inline(__always)
    func search(_ key: UnsafeBufferPointer<UInt8>, _ view: IdView) -> Int? {
        var lo = 0
        var hi = ids.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if lengthThenBytesLess(view.bytes(mid), key) { lo = mid + 1 } else { hi = mid }
        }
        return lo < ids.count && equalBytes(view.bytes(lo), key) ? lo : nil
    }

    /// The key table, built now (on both cores) if the ids were in order and none was needed
    /// yet: for submissions that do not follow the solution's order. Built once per solution.
    func lookupTable() -> KeyTable {
        if let table { return table }
        return lazyTable.get {
            var (mode, keys) = IdKey.keys(ids, reading.parallelism)
            return KeyTable.build(&keys, mode: mode, ids: ids, parallelism: reading.parallelism).0
        }
    }

    /// Refuses repeated ids. Ids already in strictly increasing (length, bytes) order — the
    /// common 1, 2, …, n — are unique without a table; otherwise the key table is built (on
    /// both cores) and kept for the lookups.
    static func uniqueIds(_ ids: IdColumn, file: String, reading: Reading) throws(IntakeError) -> KeyTable? {
        // Each core checks the order of half of the ids (the halves overlap by one).
        let n = ids.count
        let halves = n > 1 << 16 ? [0..<n / 2 + 1, n / 2..<n] : [0..<n]
        let orderedHalves = concurrentMap(halves.count, reading.parallelism) { k -> Bool in
            var previous = ids.bytes(halves[k].lowerBound)
            for i in halves[k].dropFirst() {
                let current = ids.bytes(i)
                if !lengthThenBytesLess(previous, current) { return false }
                previous = current
            }
            return true
        }
        let ordered = orderedHalves.allSatisfy { $0 }
        if ordered { return nil }
        var (mode, keys) = IdKey.keys(ids, reading.parallelism)
        let (table, duplicate) = KeyTable.build(&keys, mode: mode, ids: ids, parallelism: reading.parallelism)
        if let duplicate {
            throw IntakeError(
                .duplicateID,
                "the \(file) lists the id '\(IntakeError.quote(ids.string(duplicate.second)))' twice (data rows "
                    + "\(duplicate.first + 1) and \(duplicate.second + 1))"
            )
        }
        return table
    }
}

/// A key table built on first need and then shared (solutions are shared by `rescore` jobs).
final class LazyKeyTable: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var table: KeyTable?

    init() { pthread_mutex_init(mutex, nil) }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// The table if it has been built.
    var built: KeyTable? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return table
    }

    func get(_ build: () -> KeyTable) -> KeyTable {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if let table { return table }
        let made = build()
        table = made
        return made
    }
}

@inline(__always)
func lengthThenBytesLess(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    if a.count != b.count { return a.count < b.count }
    if a.count == 0 { return false }
    return memcmp(a.baseAddress!, b.baseAddress!, a.count) < 0
}

#if canImport(Glibc)
import Glibc
#endif
