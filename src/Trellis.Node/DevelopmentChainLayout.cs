namespace Trellis.Node;

/// <summary>Where the files of a development chain live (all paths absolute).</summary>
/// <param name="Directory">The network directory.</param>
public sealed record DevelopmentChainLayout(string Directory)
{
    /// <summary>True when <see cref="DevelopmentChain.CreateOrOpen"/> created the network just now; false when it existed.</summary>
    public bool Created { get; init; }

    /// <summary>The chain configuration (genesis) file.</summary>
    public string GenesisFile => Path.Combine(Directory, DevelopmentChain.GenesisFileName);

    /// <summary>The development accounts file.</summary>
    public string AccountsFile => Path.Combine(Directory, DevelopmentChain.AccountsFileName);

    /// <summary>The development-only warning beside the accounts file.</summary>
    public string WarningFile => Path.Combine(Directory, DevelopmentChain.WarningFileName);

    /// <summary>The node's directory.</summary>
    public string NodeDirectory => Path.Combine(Directory, DevelopmentChain.NodeDirectoryName);

    /// <summary>The node's configuration file.</summary>
    public string NodeConfigFile => Path.Combine(NodeDirectory, DevelopmentChain.NodeConfigFileName);
}
