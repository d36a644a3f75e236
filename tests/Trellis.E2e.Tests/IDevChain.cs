namespace Trellis.E2e.Tests;

/// <summary>A running development chain that the JavaScript tests can be pointed at.</summary>
public interface IDevChain
{
    /// <summary>A short name for messages ("Trellis solo node", "Hardhat node").</summary>
    string Name { get; }

    /// <summary>Environment for the JavaScript tests: TRELLIS_RPC_URL and, where the chain has one, TRELLIS_ACCOUNTS.</summary>
    IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>What the chain's process printed, for failure messages.</summary>
    string Log { get; }
}
