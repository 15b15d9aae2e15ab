extension Charts {
    /// A scatter of documents on two axes, one colour per cluster, with each
    /// cluster's centre marked and named; both axes at one scale so that
    /// distances on the page are distances on the plane.
    static func map(points: [(x: Double, y: Double, cluster: Int)], centres: [(name: String, size: Int, x: Double, y: Double)],
                    axisLabels: (String, String), title: String, subtitle: String) -> String {
        let k = centres.count
        let plotLeft = 70.0, plotTop = 70.0, side = 600.0
        let legendRows = min(k, 30)
        var svg = SVG(width: plotLeft + side + 220, height: max(plotTop + side + 70, plotTop + 30 + Double(legendRows) * 18 + 40))
        svg.text(svg.width / 2, 26, title, size: 16, anchor: .middle, bold: true)
        svg.text(svg.width / 2, 46, subtitle, size: 12, anchor: .middle, color: "#555555")
        let xs = points.map(\.x) + centres.map(\.x), ys = points.map(\.y) + centres.map(\.y)
        let place = PlanePlacement(xs: xs, ys: ys, left: plotLeft, top: plotTop, side: side, margin: 10)
        svg.rect(plotLeft, plotTop, side, side, fill: "#FAFAFA")
        var byCluster = [[(Double, Double)]](repeating: [], count: k)
        for p in points where p.cluster < k { byCluster[p.cluster].append(place.point(p.x, p.y)) }
        // dots first, centres on top, so that no cluster's dots hide a centre
        for (i, dots) in byCluster.enumerated() {
            svg.dots(dots, radius: 1.6, fill: SVG.clusterColor(i, of: k), opacity: 0.55,
                     title: "\(centres[i].name): \(Format.count(dots.count, "document", "documents")) drawn of \(Format.count(centres[i].size))")
        }
        for (i, centre) in centres.enumerated() {
            let (x, y) = place.point(centre.x, centre.y)
            svg.disc(x, y, 6, fill: SVG.clusterColor(i, of: k), opacity: 1, stroke: "#FFFFFF",
                     title: "\(centre.name): centre of \(Format.count(centre.size, "document", "documents"))")
            svg.line(x - 4, y, x + 4, y, stroke: "#FFFFFF", width: 1.5)
            svg.line(x, y - 4, x, y + 4, stroke: "#FFFFFF", width: 1.5)
            svg.text(x + 8, y - 6, centre.name, size: 11, bold: true)
        }
        svg.text(plotLeft + side / 2, plotTop + side + 30, axisLabels.0, size: 12, anchor: .middle)
        svg.text(plotLeft - 16, plotTop + side / 2, axisLabels.1, size: 12, anchor: .middle, rotate: true)
        let legendLeft = plotLeft + side + 30
        svg.text(legendLeft, plotTop, "cluster (documents)", size: 12, bold: true)
        svg.legend(centres.prefix(legendRows).enumerated().map { ("\($0.element.name) (\(Format.count($0.element.size)))", SVG.clusterColor($0.offset, of: k)) },
                   x: legendLeft, y: plotTop + 22)
        if k > legendRows {
            svg.text(legendLeft, plotTop + 22 + Double(legendRows) * 18, "… and \(k - legendRows) more", size: 12)
        }
        return svg.rendered(title: title)
    }

    /// Clusters as circles at places whose distances match the clusters'
    /// distances, the area of each proportional to its documents; a scale
    /// bar gives the distance units.
    static func distances(clusters: [(name: String, size: Int, x: Double, y: Double, nearest: String)], title: String, subtitle: String) -> String {
        let k = clusters.count
        let plotLeft = 60.0, plotTop = 80.0, side = 600.0, largestRadius = 32.0
        var svg = SVG(width: plotLeft + side + 60, height: plotTop + side + 80)
        svg.text(svg.width / 2, 26, title, size: 16, anchor: .middle, bold: true)
        svg.text(svg.width / 2, 46, subtitle, size: 12, anchor: .middle, color: "#555555")
        let place = PlanePlacement(xs: clusters.map(\.x), ys: clusters.map(\.y), left: plotLeft, top: plotTop, side: side,
                                   margin: largestRadius + 4)
        svg.rect(plotLeft, plotTop, side, side, fill: "#FAFAFA")
        let largest = Double(clusters.map(\.size).max() ?? 1)
        // largest first, so that small circles stay visible on top
        for i in clusters.indices.sorted(by: { clusters[$0].size != clusters[$1].size ? clusters[$0].size > clusters[$1].size : $0 < $1 }) {
            let cluster = clusters[i]
            let (x, y) = place.point(cluster.x, cluster.y)
            let radius = max(3, largestRadius * (Double(cluster.size) / largest).squareRoot())
            svg.disc(x, y, radius, fill: SVG.clusterColor(i, of: k), opacity: 0.6, stroke: "#333333",
                     title: "\(cluster.name): \(Format.count(cluster.size, "document", "documents")); nearest \(cluster.nearest)")
            svg.text(x, y + 4, cluster.name, size: 11, anchor: .middle, bold: true)
        }
        // a scale bar of a round length, about a fifth of the plot
        let unit = place.scale > 0 ? ticks(0, side / 5 / place.scale, count: 1).last ?? 0 : 0
        if unit > 0 {
            let y = plotTop + side + 30, length = unit * place.scale
            svg.line(plotLeft, y, plotLeft + length, y, stroke: "#333333", width: 2)
            svg.line(plotLeft, y - 4, plotLeft, y + 4)
            svg.line(plotLeft + length, y - 4, plotLeft + length, y + 4)
            svg.text(plotLeft + length + 8, y + 4, "distance \(Format.fixed(unit, unit >= 1 ? 0 : 2))", size: 12)
        }
        return svg.rendered(title: title)
    }
}

/// Places plane coordinates in a square on the page at one scale for both
/// axes, centred, y pointing up.
struct PlanePlacement {
    let scale: Double
    private let centreX: Double, centreY: Double, pageX: Double, pageY: Double

    init(xs: [Double], ys: [Double], left: Double, top: Double, side: Double, margin: Double) {
        let lowX = xs.min() ?? 0, highX = xs.max() ?? 0, lowY = ys.min() ?? 0, highY = ys.max() ?? 0
        let span = max(highX - lowX, highY - lowY)
        scale = span > 0 ? (side - 2 * margin) / span : 1
        centreX = (lowX + highX) / 2
        centreY = (lowY + highY) / 2
        pageX = left + side / 2
        pageY = top + side / 2
    }

    func point(_ x: Double, _ y: Double) -> (Double, Double) {
        (pageX + (x - centreX) * scale, pageY - (y - centreY) * scale)
    }
}
