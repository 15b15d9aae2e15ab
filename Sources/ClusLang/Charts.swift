/// The charts `plot` and `report` draw, as SVG text.
enum Charts {
    /// The silhouette plot: per cluster its documents' silhouettes sorted from
    /// the best down, as a filled band; the mean as a dashed line.
    static func silhouette(byCluster: [(name: String, values: [Double])], mean: Double, title: String) -> String {
        let total = byCluster.reduce(0) { $0 + $1.values.count }
        let plotTop = 50.0, plotLeft = 110.0, plotWidth = 560.0
        let bandSpace = 10.0
        let plotHeight = min(720, max(240, Double(total) * 2)) + bandSpace * Double(byCluster.count)
        var svg = SVG(width: plotLeft + plotWidth + 40, height: plotTop + plotHeight + 60)
        let low = min(0, byCluster.flatMap(\.values).min() ?? 0)
        func x(_ v: Double) -> Double { plotLeft + (v - low) / (1 - low) * plotWidth }
        svg.text(svg.width / 2, 26, title, size: 16, anchor: .middle, bold: true)
        var y = plotTop
        let unit = (plotHeight - bandSpace * Double(byCluster.count)) / Double(max(total, 1))
        for (i, cluster) in byCluster.enumerated() {
            let sorted = cluster.values.sorted(by: >)
            let height = Double(sorted.count) * unit
            // at most 400 points per band: the shape stays exact to a pixel
            let step = max(1, sorted.count / 400)
            var points: [(Double, Double)] = [(x(0), y)]
            for j in stride(from: 0, to: sorted.count, by: step) {
                let top = y + Double(j) * unit
                points.append((x(sorted[j]), top))
                points.append((x(sorted[j]), top + Double(step) * unit))
            }
            points.append((x(0), y + height))
            let clusterMean = sorted.reduce(0, +) / Double(max(sorted.count, 1))
            svg.polygon(points, fill: SVG.color(i), title: "\(cluster.name): \(Format.count(sorted.count, "document", "documents")), mean \(Format.fixed(clusterMean, 3))")
            svg.text(plotLeft - 8, y + height / 2 + 4, cluster.name, size: 12, anchor: .end)
            y += height + bandSpace
        }
        let axisY = plotTop + plotHeight
        svg.line(x(low), axisY, x(1), axisY)
        for t in ticks(low, 1) {
            svg.line(x(t), axisY, x(t), axisY + 5)
            svg.text(x(t), axisY + 18, Format.fixed(t, 1), size: 11, anchor: .middle)
        }
        svg.line(x(0), plotTop - 5, x(0), axisY, stroke: "#333333")
        svg.line(x(mean), plotTop - 5, x(mean), axisY, stroke: "#D55E00", width: 2, dash: "6 4")
        svg.text(x(mean) + 4, plotTop - 8, "mean \(Format.fixed(mean, 3))", size: 12, color: "#D55E00")
        svg.text(plotLeft + plotWidth / 2, axisY + 40, "silhouette s(i) = (b − a) / max(a, b)", size: 12, anchor: .middle)
        return svg.rendered(title: title)
    }

    /// Cluster sizes as horizontal bars; with a truth field, each bar split by
    /// the most frequent truth values (the rest in grey).
    static func distribution(clusters: [(name: String, size: Int, segments: [(value: String, count: Int)])], truthName: String?, title: String) -> String {
        let legendValues = truthName == nil ? [] : topValues(clusters.flatMap(\.segments), limit: SVG.palette.count - 1)
        let barHeight = 22.0, gap = 6.0, plotTop = 50.0, plotLeft = 110.0, plotWidth = 480.0
        let legendWidth = legendValues.isEmpty ? 0.0 : 170.0
        let plotHeight = Double(clusters.count) * (barHeight + gap)
        var svg = SVG(width: plotLeft + plotWidth + legendWidth + 60, height: plotTop + plotHeight + 60)
        svg.text(svg.width / 2, 26, title, size: 16, anchor: .middle, bold: true)
        let largest = Double(clusters.map(\.size).max() ?? 1)
        func x(_ count: Double) -> Double { plotLeft + count / largest * plotWidth }
        for (i, cluster) in clusters.enumerated() {
            let y = plotTop + Double(i) * (barHeight + gap)
            svg.text(plotLeft - 8, y + barHeight / 2 + 4, cluster.name, size: 12, anchor: .end)
            if truthName == nil {
                svg.rect(plotLeft, y, x(Double(cluster.size)) - plotLeft, barHeight, fill: SVG.color(0), title: "\(cluster.name): \(cluster.size)")
            } else {
                var start = 0.0
                for segment in cluster.segments {
                    let index = legendValues.firstIndex(of: segment.value)
                    svg.rect(x(start), y, x(start + Double(segment.count)) - x(start), barHeight,
                             fill: index.map(SVG.color) ?? SVG.other, title: "\(cluster.name): \(segment.value) \(segment.count)")
                    start += Double(segment.count)
                }
                if start < Double(cluster.size) {
                    svg.rect(x(start), y, x(Double(cluster.size)) - x(start), barHeight, fill: "#EEEEEE", title: "\(cluster.name): no \(truthName ?? "truth")")
                }
            }
            svg.text(x(Double(cluster.size)) + 6, y + barHeight / 2 + 4, Format.count(cluster.size), size: 11)
        }
        let axisY = plotTop + plotHeight
        svg.line(plotLeft, axisY, plotLeft + plotWidth, axisY)
        for t in ticks(0, largest) {
            svg.line(x(t), axisY, x(t), axisY + 5)
            svg.text(x(t), axisY + 18, Format.count(Int(t)), size: 11, anchor: .middle)
        }
        svg.text(plotLeft + plotWidth / 2, axisY + 40, "documents", size: 12, anchor: .middle)
        if let truthName, !legendValues.isEmpty {
            svg.text(plotLeft + plotWidth + 60, plotTop, truthName, size: 12, bold: true)
            svg.legend(legendValues.enumerated().map { ($0.element, SVG.color($0.offset)) } + [("other", SVG.other)],
                       x: plotLeft + plotWidth + 60, y: plotTop + 20)
        }
        return svg.rendered(title: title)
    }

    /// The most frequent values over all segments, most frequent first.
    private static func topValues(_ segments: [(value: String, count: Int)], limit: Int) -> [String] {
        var totals: [String: Int] = [:]
        for s in segments { totals[s.value, default: 0] += s.count }
        return Array(totals.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(limit).map(\.key))
    }

    /// A sweep: inertia with its elbow on the left, the indices on the right,
    /// best value of each marked with a ring; the x axis is the swept option
    /// (`swept`: k, min_cluster_size, n_init, ...), `ks` its values.
    /// `inertia` nil where the method has none (agglomerative); `objective` names it.
    static func sweep(ks: [Int], inertia: [Double?], objective: String, series: [(name: String, values: [Double?], best: Int?)],
                      elbow: Int?, swept: String = "k", title: String) -> String {
        var svg = SVG(width: 900, height: 420 + 18 * Double(series.count))
        svg.text(450, 26, title, size: 16, anchor: .middle, bold: true)
        let lowK = Double(ks.first ?? 0), highK = Double(max(ks.last ?? 1, (ks.first ?? 0) + 1))
        func panel(left: Double, label: String, lines: [(name: String, values: [Double?], best: Int?)], scaled: Bool, markIndex: Int?, markLabel: String) {
            let top = 60.0, width = 330.0, height = 280.0
            let all = lines.flatMap { $0.values.compactMap { $0 } }
            let low = scaled ? 0 : min(0, all.min() ?? 0), high = scaled ? 1 : max(all.max() ?? 1, low + 1e-9)
            func x(_ k: Double) -> Double { left + (k - lowK) / (highK - lowK) * width }
            func y(_ v: Double) -> Double { top + height - (v - low) / (high - low) * height }
            svg.line(left, top + height, left + width, top + height)
            svg.line(left, top, left, top + height)
            for t in ticks(lowK, highK, count: min(10, ks.count)) where t == t.rounded() {
                svg.line(x(t), top + height, x(t), top + height + 5)
                svg.text(x(t), top + height + 18, String(Int(t)), size: 11, anchor: .middle)
            }
            for t in ticks(low, high) {
                svg.line(left - 5, y(t), left, y(t))
                svg.text(left - 8, y(t) + 4, abs(t) >= 1000 ? Format.count(Int(t)) : Format.fixed(t, t == t.rounded() ? 0 : 2), size: 11, anchor: .end)
            }
            svg.text(left + width / 2, top + height + 40, swept, size: 12, anchor: .middle)
            svg.text(left + width / 2, top - 12, label, size: 13, anchor: .middle, bold: true)
            for (i, line) in lines.enumerated() {
                let points = zip(ks, line.values).compactMap { k, v in v.map { (x(Double(k)), y($0)) } }
                svg.polyline(points, stroke: SVG.color(i))
                for p in points { svg.circle(p.0, p.1, 2.5, fill: SVG.color(i)) }
                if let best = line.best, let v = line.values[best] {
                    svg.circle(x(Double(ks[best])), y(v), 7, fill: "none", stroke: SVG.color(i))
                }
            }
            if let markIndex, let v = lines.first?.values[markIndex] {
                svg.text(x(Double(ks[markIndex])) + 8, y(v) - 8, markLabel, size: 12, color: "#D55E00")
                svg.circle(x(Double(ks[markIndex])), y(v), 7, fill: "none", stroke: "#D55E00")
            }
        }
        let hasObjective = inertia.contains { $0 != nil }
        panel(left: 80, label: hasObjective ? objective : "no objective for this method", lines: hasObjective ? [(objective, inertia, nil)] : [],
              scaled: false, markIndex: elbow, markLabel: "elbow")
        panel(left: 500, label: "indices (each scaled to its largest value)", lines: series.map { s in
            let top = s.values.compactMap { $0.map(abs) }.max() ?? 1
            return (s.name, s.values.map { $0.map { $0 / (top > 0 ? top : 1) } }, s.best)
        }, scaled: true, markIndex: nil, markLabel: "")
        svg.legend(series.enumerated().map { ("\($0.element.name) (best k = \($0.element.best.map { String(ks[$0]) } ?? "–"))", SVG.color($0.offset)) },
                   x: 520, y: 420)
        return svg.rendered(title: title)
    }

    /// A matched contingency table as a heat map: darker = a larger share of the row.
    static func compare(rows: [String], columns: [String], counts: [[Int]], rowTitle: String, columnTitle: String, title: String) -> String {
        let cell = max(18, min(48, 560 / Double(max(columns.count, rows.count, 1))))
        let left = 120.0, top = 90.0
        var svg = SVG(width: left + cell * Double(columns.count) + 60, height: top + cell * Double(rows.count) + 60)
        svg.text(svg.width / 2, 26, title, size: 16, anchor: .middle, bold: true)
        svg.text(left + cell * Double(columns.count) / 2, 50, columnTitle, size: 12, anchor: .middle, bold: true)
        svg.text(20, top + cell * Double(rows.count) / 2, rowTitle, size: 12, anchor: .middle, bold: true, rotate: true)
        for (j, name) in columns.enumerated() {
            svg.text(left + (Double(j) + 0.5) * cell, top - 8, name, size: 10, anchor: .start, rotate: true)
        }
        for (i, name) in rows.enumerated() {
            let rowTotal = max(1, counts[i].reduce(0, +))
            svg.text(left - 6, top + (Double(i) + 0.5) * cell + 4, name, size: 11, anchor: .end)
            for (j, count) in counts[i].enumerated() {
                let share = Double(count) / Double(rowTotal)
                // blue with opacity by share: readable in grey scale too
                let level = Int((1 - share) * 255)
                let hex = String(level, radix: 16)
                let shade = "#" + String(repeating: hex.count == 1 ? "0" + hex : hex, count: 2) + "FF"
                svg.rect(left + Double(j) * cell, top + Double(i) * cell, cell - 1, cell - 1, fill: shade,
                         title: "\(name) × \(columns[j]): \(count)")
                if cell >= 24, count > 0 {
                    svg.text(left + (Double(j) + 0.5) * cell, top + (Double(i) + 0.5) * cell + 4, String(count), size: 10,
                             anchor: .middle, color: share > 0.5 ? "#FFFFFF" : "#222222")
                }
            }
        }
        return svg.rendered(title: title)
    }
}
