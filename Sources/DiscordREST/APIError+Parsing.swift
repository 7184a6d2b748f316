import Foundation

extension APIError {
    /// Reads Discord's JSON error body; nil when it is not one.
    init?(json data: Data) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let code = object["code"] as? Int, let message = object["message"] as? String
        else { return nil }
        self.init(code: code, message: message, firstFieldError: object["errors"].flatMap { Self.firstFieldError(in: $0, path: []) })
    }

    /// Walks `{"field": {"0": {"_errors": [{"code", "message"}]}}}` depth first, keys sorted.
    private static func firstFieldError(in value: Any, path: [String]) -> String? {
        guard let object = value as? [String: Any] else { return nil }
        if let errors = object["_errors"] as? [[String: Any]], let message = errors.first?["message"] as? String {
            return path.isEmpty ? message : "\(path.joined(separator: ".")): \(message)"
        }
        for key in object.keys.sorted() where key != "_errors" {
            if let found = firstFieldError(in: object[key] as Any, path: path + [key]) { return found }
        }
        return nil
    }
}
