namespace Trellis.Cli.Bench;

/// <summary>How transactions are submitted.</summary>
internal enum BenchTransport
{
    /// <summary>JSON-RPC batches in HTTP POST requests over several kept-alive connections.</summary>
    Http,

    /// <summary>JSON-RPC batches as WebSocket messages, one connection per concurrent batch.</summary>
    WebSocket,
}
