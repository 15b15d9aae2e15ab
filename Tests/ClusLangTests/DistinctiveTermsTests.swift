import Testing
import Glibc
@testable import ClusLang

/// `describe text=`'s words and class-based TF-IDF on texts small enough to
/// check by hand.
@Suite struct DistinctiveTermsTests {
    @Test func wordsAreLetterAndDigitRunsLowerCasedWithoutStopWords() {
        #expect(termTokens("The Café's 2 crème-brûlée, and X5 über_cool!") == ["café", "crème", "brûlée", "x5", "über", "cool"])
    }

    /// Two clusters: "apple" only in the first scores tf × log(1 + A/f);
    /// a word shared evenly scores lower than one of a single cluster.
    @Test func scoresFollowTheFormula() {
        let terms = distinctiveTerms(texts: ["apple apple pear", "pear plum", nil, "plum plum"], labels: [0, 1, 1, 1],
                                     clusterCount: 2, top: 5)
        // cluster 0: apple 2, pear 1 (3 words); cluster 1: pear 1, plum 3 (4 words); A = 3.5
        #expect(terms[0].map(\.term) == ["apple", "pear"])
        #expect(abs(terms[0][0].score - 2.0 / 3 * log(1 + 3.5 / 2)) < 1e-15)
        #expect(abs(terms[0][1].score - 1.0 / 3 * log(1 + 3.5 / 2)) < 1e-15)
        #expect(terms[1].map(\.term) == ["plum", "pear"])
        #expect(abs(terms[1][0].score - 3.0 / 4 * log(1 + 3.5 / 3)) < 1e-15)
    }

    @Test func clustersWithoutWordsGetNoTerms() {
        let terms = distinctiveTerms(texts: ["the and", "kiwi"], labels: [0, 1], clusterCount: 2, top: 3)
        #expect(terms[0].isEmpty)
        #expect(terms[1].map(\.term) == ["kiwi"])
    }
}
