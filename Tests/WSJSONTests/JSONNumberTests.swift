import Testing
import WSJSON

@Suite struct JSONNumberTests {
    @Test(arguments: [
        ("0", 0.0), ("-0", -0.0), ("7", 7), ("-12", -12), ("3.25", 3.25), ("-0.5", -0.5),
        ("1e3", 1000), ("1E+3", 1000), ("25e-2", 0.25), ("0.1e1", 1), ("123456789012", 123_456_789_012),
        ("1e-400", 0), ("1.7976931348623157e308", 1.7976931348623157e308),
    ] as [(String, Double)])
    func parsesNumber(text: String, expected: Double) {
        #expect(parsed(text) == .number(expected))
    }

    @Test(arguments: [
        ("01", "leading zero"), ("-01", "leading zero"), ("00", "leading zero"),
        ("+1", "unexpected character '+'"), (".5", "unexpected character '.'"), ("-", "expected a digit"),
        ("-a", "expected a digit"), ("1.", "expected a digit after decimal point"),
        ("1.e3", "expected a digit after decimal point"), ("1e", "expected a digit after exponent"),
        ("1e+", "expected a digit after exponent"), ("0x10", "unexpected data after"),
        ("1e400", "number out of range"), ("-1e400", "number out of range"), ("Infinity", "unexpected character"),
    ] as [(String, String)])
    func rejectsMalformedNumber(text: String, messageFragment: String) {
        let error = rejection(text)
        #expect(error?.message.contains(messageFragment) == true, "\(text): \(String(describing: error))")
    }

    @Test(arguments: [
        ("42", 42 as Int?), ("-7", -7), ("1e2", 100), ("4.0", 4), ("-0", 0),
        ("9007199254740991", 9_007_199_254_740_991), ("-9007199254740991", -9_007_199_254_740_991),
        ("4.5", nil), ("1e-1", nil), ("9007199254740992", nil), ("9007199254740993", nil), ("1e300", nil),
    ] as [(String, Int?)])
    func reportsExactIntegers(text: String, expected: Int?) {
        let value = parsed(text)
        #expect(value?.intValue == expected)
        #expect(value?.isExactInteger == (expected != nil))
    }
}
