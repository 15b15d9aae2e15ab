/// One scalar value of a document's field, as JSON gave it.
///
/// Arrays that are not vectors are kept as `.string` holding their JSON text
/// (see `FieldColumn.typeDescription`, which says "array" for them).
public enum FieldValue: Hashable, Sendable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)

    /// Display text: strings bare (`a`, not `"a"`), numbers in their shortest form.
    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double(let d): d.description
        case .string(let s): s
        }
    }

    /// The value as JSON text: strings quoted and escaped.
    public var jsonText: String {
        switch self {
        case .string(let s): FieldValue.quoted(s)
        case .double(let d) where !d.isFinite: "null"
        default: description
        }
    }

    /// `s` as a JSON string literal.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
