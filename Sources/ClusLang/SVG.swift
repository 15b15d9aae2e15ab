/// A small SVG writer: enough for clus's charts, no dependency.
/// Written by hand because the charts need a few shapes and text, and a
/// library would bring more than it gives here.
struct SVG {
    let width: Double
    let height: Double
    private var body: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// Colours told apart by people with any common colour blindness
    /// (Okabe & Ito), then grey for "other".
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
    static let other = "#BBBBBB"

    static func color(_ i: Int) -> String { palette[i % palette.count] }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, title: String? = nil) {
        let element = "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, w)))\" height=\"\(n(max(0, h)))\" fill=\"\(fill)\""
        body.append(title.map { element + "><title>\(escape($0))</title></rect>" } ?? element + "/>")
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#333333", width: Double = 1, dash: String? = nil) {
        body.append("<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\"" +
                    (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>")
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 2) {
        let text = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
        body.append("<polyline points=\"\(text)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\"/>")
    }

    mutating func polygon(_ points: [(Double, Double)], fill: String, title: String? = nil) {
        let text = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
        let element = "<polygon points=\"\(text)\" fill=\"\(fill)\""
        body.append(title.map { element + "><title>\(escape($0))</title></polygon>" } ?? element + "/>")
    }

    mutating func circle(_ x: Double, _ y: Double, _ r: Double, fill: String, stroke: String = "none") {
        body.append("<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(r))\" fill=\"\(fill)\" stroke=\"\(stroke)\"/>")
    }

    /// Many small dots of one colour as one group: a map's 20,000 points stay a small file.
    mutating func dots(_ points: [(Double, Double)], radius: Double, fill: String, opacity: Double, title: String) {
        body.append("<g fill=\"\(fill)\" fill-opacity=\"\(opacity)\"><title>\(escape(title))</title>")
        body.append(contentsOf: points.map { "<circle cx=\"\(n($0.0))\" cy=\"\(n($0.1))\" r=\"\(n(radius))\"/>" })
        body.append("</g>")
    }

    /// A circle with a fill opacity and a tooltip.
    mutating func disc(_ x: Double, _ y: Double, _ r: Double, fill: String, opacity: Double, stroke: String, title: String) {
        body.append("<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(r))\" fill=\"\(fill)\" fill-opacity=\"\(opacity)\" " +
                    "stroke=\"\(stroke)\" stroke-width=\"1.5\"><title>\(escape(title))</title></circle>")
    }

    /// A colour for cluster `i` of `k`: the colour-blind-safe palette while
    /// it suffices, else 20 distinct hues (past 20 they repeat).
    static func clusterColor(_ i: Int, of k: Int) -> String {
        k <= palette.count ? color(i) : manyColors[i % manyColors.count]
    }

    /// Okabe & Ito's colours, then further hues and shades for up to 20 clusters.
    static let manyColors = palette.dropLast() + ["#000000", "#882255", "#44AA99", "#999933", "#AA4499", "#332288",
                                                 "#117733", "#88CCEE", "#DDCC77", "#CC6677", "#661100", "#6699CC", "#AA4466"]

    enum Anchor: String { case start, middle, end }

    mutating func text(_ x: Double, _ y: Double, _ content: String, size: Double = 12, anchor: Anchor = .start,
                       bold: Bool = false, color: String = "#222222", rotate: Bool = false) {
        let transform = rotate ? " transform=\"rotate(-90 \(n(x)) \(n(y)))\"" : ""
        body.append("<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" text-anchor=\"\(anchor.rawValue)\" fill=\"\(color)\"" +
                    (bold ? " font-weight=\"bold\"" : "") + transform + ">\(escape(content))</text>")
    }

    /// A legend of coloured squares, from (x, y) down.
    mutating func legend(_ items: [(String, String)], x: Double, y: Double) {
        for (i, item) in items.enumerated() {
            rect(x, y + Double(i) * 18 - 10, 12, 12, fill: item.1)
            text(x + 18, y + Double(i) * 18, item.0, size: 12)
        }
    }

    /// The document, with a title for screen readers and browsers.
    func rendered(title: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(n(width))" height="\(n(height))" viewBox="0 0 \(n(width)) \(n(height))" \
        font-family="Helvetica, Arial, sans-serif" role="img"><title>\(escape(title))</title>
        <rect x="0" y="0" width="\(n(width))" height="\(n(height))" fill="#FFFFFF"/>
        \(body.joined(separator: "\n"))
        </svg>
        """
    }

    private func n(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}

/// Text made safe for XML and HTML.
func escape(_ text: String) -> String {
    var out = ""
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}

/// Round tick values covering low...high.
func ticks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
    guard high > low else { return [low] }
    let raw = (high - low) / Double(count)
    var step = 1.0
    while step > raw { step /= 10 }
    while step * 10 <= raw { step *= 10 }
    if raw / step >= 5 { step *= 5 } else if raw / step >= 2 { step *= 2 }
    var out: [Double] = []
    var t = (low / step).rounded(.up) * step
    while t <= high + step * 1e-9 {
        out.append(abs(t) < step * 1e-9 ? 0 : t)
        t += step
    }
    return out
}
