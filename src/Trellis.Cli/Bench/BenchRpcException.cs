namespace Trellis.Cli.Bench;

/// <summary>A JSON-RPC error answer, or an answer of the wrong shape, during setup.</summary>
internal sealed class BenchRpcException : Exception
{
    public BenchRpcException()
    {
    }

    public BenchRpcException(string message)
        : base(message)
    {
    }

    public BenchRpcException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
