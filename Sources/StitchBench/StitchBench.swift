import ArgumentParser

@main
struct StitchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stitch-bench",
        abstract: "Measures Stitch on this machine (run through ./scripts/bench).",
        subcommands: [MessagingBench.self, HTTPBench.self, PPICBench.self, BOMBench.self, WarehouseBench.self])
}
