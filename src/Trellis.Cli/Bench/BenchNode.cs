namespace Trellis.Cli.Bench;

/// <summary>One node the benchmark submits to.</summary>
/// <param name="Name">Its name in network.json, or its URL.</param>
/// <param name="Rpc">Its JSON-RPC URL.</param>
/// <param name="PidFile">Where its process id is written (<c>nodes/NAME/node.pid</c>), if known.</param>
internal sealed record BenchNode(string Name, Uri Rpc, string? PidFile);
