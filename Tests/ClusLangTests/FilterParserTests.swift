import Testing
@testable import ClusLang

/// `filter`'s condition: precedence, grouping, and errors at the spot.
@Suite struct FilterParserTests {
    func call(_ text: String) throws(ParseFailure) -> CommandCall {
        let statements = try Parser.parse(SourceFile(name: "t", text: text))
        guard case .command(let call) = statements.first else { preconditionFailure("not a command: \(text)") }
        return call
    }

    func expression(_ condition: String) throws -> FilterExpression {
        try #require(try call("filter " + condition).arguments.first?.expression)
    }

    /// The tree as a bracketed string: `(and (== a 1) (not (has b)))`.
    func shape(_ e: FilterExpression) -> String {
        switch e {
        case .and(let a, let b): "(and \(shape(a)) \(shape(b)))"
        case .or(let a, let b): "(or \(shape(a)) \(shape(b)))"
        case .not(let a, _): "(not \(shape(a)))"
        case .has(let f, _): "(has \(f.name))"
        case .comparison(let f, let op, _, let v): "(\(op) \(f.name) \(v.kind))"
        case .membership(let f, let negated, _): "(\(negated ? "not in" : "in") \(f.name))"
        }
    }

    @Test(arguments: [
        ("a == 1 or b == 2 and c == 3", "(or (== a integer(1)) (and (== b integer(2)) (== c integer(3))))"),
        ("a == 1 and b == 2 or c == 3", "(or (and (== a integer(1)) (== b integer(2))) (== c integer(3)))"),
        ("not a == 1 and b == 2", "(and (not (== a integer(1))) (== b integer(2)))"),
        ("not (a == 1 and b == 2)", "(not (and (== a integer(1)) (== b integer(2))))"),
        ("(a == 1 or b == 2) and c == 3", "(and (or (== a integer(1)) (== b integer(2))) (== c integer(3)))"),
        ("not not has(v)", "(not (not (has v)))"),
        ("meta.lang != \"en\"", "(!= meta.lang string(\"en\"))"),
        ("x in [a, b] and y not in [1]", "(and (in x) (not in y))"),
        ("\"my field\" >= -2.5", "(>= my field float(-2.5))"),
        ("kmeans_10 == cluster_3", "(== kmeans_10 word(\"cluster_3\"))"),
        ("has (v) or has == 1", "(or (has v) (== has integer(1)))"),
    ])
    func precedenceAndGrouping(_ text: String, _ expected: String) throws {
        #expect(shape(try expression(text)) == expected, "\(text)")
    }

    @Test func conditionIsTheFirstArgumentAndNameAndIntoFollow() throws {
        let c = try call("filter price < 10 and has(v) as cheap into=\"f.json\"")
        #expect(c.arguments.count == 4)
        #expect(c.arguments[0].expression != nil)
        // the argument spans the whole condition, so --echo and carets see it
        #expect(c.arguments[0].value.range == SourceRange(7, 28))
        #expect(c.arguments[1].value.kind == .word("as"))
        #expect(c.arguments[2].value.kind == .word("cheap"))
        #expect(c.arguments[3].name == "into")
        #expect(c.range == SourceRange(0, 51))
    }

    @Test func aFilterWithoutConditionIsLeftToTheBinder() throws {
        #expect(try call("filter").arguments.isEmpty)
        #expect(try call("filter into=\"x\"").arguments.first?.name == "into")
    }

    @Test(arguments: [
        ("filter a = 1", 9, "'=' gives an option; compare with '=='"),
        ("filter a", 8, "expected a comparison (== != < <= > >=) or 'in' after 'a'"),
        ("filter a == 1 and", 17, "expected a condition after 'and'"),
        ("filter a == 1 or\nb == 2", 16, "expected a condition after 'or'"),
        ("filter (a == 1", 14, "expected ')' to close the '('"),
        ("filter (a == 1\n)", 14, "expected ')' to close the '('"),
        ("filter has(a", 12, "expected ')' to close the '('"),
        ("filter has()", 11, "expected a field name inside has( )"),
        ("filter a == 1 b == 2", 14, "expected 'and', 'or', 'as NAME' or the end of the condition"),
        ("filter a ==", 11, "expected a value after '=='"),
        ("filter a in", 11, "expected a value after 'in'"),
        ("filter and a == 1", 7, "expected a condition before 'and'"),
        ("filter not", 10, "expected a condition after 'not'"),
        ("filter ()", 8, "expected a condition after '('"),
        ("filter 3 == 3", 7, "expected a condition such as"),
        ("filter a == 1)", 13, "expected 'and', 'or', 'as NAME'"),
    ])
    func errorsPointAtTheSpot(_ text: String, _ offset: Int, _ message: String) {
        do throws(ParseFailure) {
            _ = try Parser.parse(SourceFile(name: "t", text: text))
            Issue.record("parsed \(text)")
        } catch {
            guard case .error(let d) = error else { Issue.record("incomplete: \(text)"); return }
            #expect(d.range?.start == offset, "\(text): \(d.message)")
            #expect(d.message.hasPrefix(message), "\(text): \(d.message)")
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        for text in ["filter " + String(repeating: "(", count: 5000) + "a == 1",
                     "filter " + String(repeating: "not ", count: 5000) + "a == 1"] {
            do throws(ParseFailure) {
                _ = try Parser.parse(SourceFile(name: "t", text: text))
                Issue.record("parsed")
            } catch {
                guard case .error(let d) = error else { Issue.record("incomplete"); return }
                #expect(d.message.contains("200"), "\(d.message)")
            }
        }
    }

    /// Parentheses are tokens now; elsewhere they are refused as before.
    @Test func parenthesesOutsideFilterAreStillUnexpected() {
        for (text, offset) in [("echo (", 5), ("metrics truth=(x)", 14), ("assert metrics.ari > (1)", 21)] {
            do throws(ParseFailure) {
                _ = try Parser.parse(SourceFile(name: "t", text: text))
                Issue.record("parsed \(text)")
            } catch {
                guard case .error(let d) = error else { Issue.record("incomplete"); return }
                #expect(d.range?.start == offset && d.message.hasPrefix("unexpected character '"), "\(text): \(d.message)")
            }
        }
    }

    /// The condition written back for `datasets`: parentheses only where needed.
    @Test(arguments: [
        ("a == 1 or b == 2 and c == 3", "a == 1 or b == 2 and c == 3"),
        ("(a == 1 or b == 2) and c == 3", "(a == 1 or b == 2) and c == 3"),
        ("not (a == 1 or b == 2)", "not (a == 1 or b == 2)"),
        ("not (not has(v))", "not not has(v)"),
        ("x in [a, 2, 2.5] and ok == true", "x in [\"a\", 2, 2.5] and ok == true"),
        ("\"my field\" != 'q\"'", "\"my field\" != \"q\\\"\""),
        ("((a == 1))", "a == 1"),
    ])
    func conditionText(_ text: String, _ expected: String) throws {
        let interpreter = Interpreter(session: Session(), output: CollectingSink())
        #expect(FilterText(resolve: interpreter.resolve).text(try expression(text)) == expected)
    }
}
