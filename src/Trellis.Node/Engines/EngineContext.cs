using Microsoft.Extensions.Logging;
using Trellis.Crypto;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Pool;
using Trellis.Ledger.Storage;
using Trellis.State.Storage;
using LedgerNodeConfig = Trellis.Ledger.Genesis.NodeConfig;

namespace Trellis.Node.Engines;

/// <summary>
/// Everything a networked consensus engine is built from (the constructor shape of contracts2.md A), as the node
/// has prepared it: the opened store and block store, the pool, the node's signing key and the validator list.
/// </summary>
public sealed record EngineContext
{
    /// <summary>The chain configuration (consensus timing, gas limit) for <c>XxxEngineOptions.FromChain</c>.</summary>
    public required ChainConfig Chain { get; init; }

    /// <summary>The chain's crypto suite.</summary>
    public required ICryptoSuite Suite { get; init; }

    /// <summary>The node's key-value store (state and ledger).</summary>
    public required IKeyValueStore Store { get; init; }

    /// <summary>The committed chain, initialised from genesis; the engine is its only writer.</summary>
    public required BlockStore Blocks { get; init; }

    /// <summary>Executes blocks.</summary>
    public required BlockExecutor Executor { get; init; }

    /// <summary>The transaction pool.</summary>
    public required TxPool Pool { get; init; }

    /// <summary>The node's ledger signing key; null for an observer without one.</summary>
    public required PrivateKey? SigningKey { get; init; }

    /// <summary>The genesis nodes with role validator, in genesis order (order = index = leader rotation).</summary>
    public required IReadOnlyList<LedgerNodeConfig> Validators { get; init; }

    /// <summary>This node's entry in the genesis node list.</summary>
    public required LedgerNodeConfig Self { get; init; }

    /// <summary>The node's data directory, for an engine's own files (for example consensus safety data).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The logger for the engine.</summary>
    public required ILogger Logger { get; init; }

    /// <summary>The clock.</summary>
    public required TimeProvider Time { get; init; }
}
