using System.Diagnostics.CodeAnalysis;
using Trellis.Consensus.HotStuff;
using Trellis.Consensus.Raft;

namespace Trellis.Node.Engines;

/// <summary>
/// The networked consensus engines a node can run, by their <c>consensus.engine</c> name. A name that is not
/// registered makes the node refuse to start with a clear "not available" message.
/// </summary>
public sealed class NetworkedEngineRegistry
{
    private readonly Dictionary<string, NetworkedEngineFactory> _factories = new(StringComparer.Ordinal);

    /// <summary>The registered names, sorted.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            var names = new List<string>(_factories.Keys);
            names.Sort(StringComparer.Ordinal);
            return names;
        }
    }

    /// <summary>A registry holding the engines built into Trellis.</summary>
    public static NetworkedEngineRegistry CreateDefault()
    {
        var registry = new NetworkedEngineRegistry();

        // Both keep their safety data (HotStuff's votes, Raft's term, vote and log) in the node's data directory.
        registry.Register("hotstuff", c => new HotStuffEngine(HotStuffEngineOptions.FromChain(c.Chain, c.DataDirectory), c.Suite, c.Store, c.Blocks, c.Executor, c.Pool, c.SigningKey, c.Validators, c.Logger, c.Time));
        registry.Register("raft", c => new RaftEngine(RaftEngineOptions.FromChain(c.Chain, c.DataDirectory), c.Suite, c.Store, c.Blocks, c.Executor, c.Pool, c.SigningKey, c.Validators, c.Logger, c.Time));
        return registry;
    }

    /// <summary>Registers (or replaces) the factory for <paramref name="name"/>.</summary>
    public void Register(string name, NetworkedEngineFactory factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(factory);
        _factories[name] = factory;
    }

    /// <summary>Finds the factory for <paramref name="name"/>.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out NetworkedEngineFactory? factory)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _factories.TryGetValue(name, out factory);
    }
}
