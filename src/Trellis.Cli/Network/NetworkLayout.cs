namespace Trellis.Cli.Network;

/// <summary>Where the files of a network directory live (all paths absolute); see docs/getting-started.md.</summary>
/// <param name="Directory">The network directory.</param>
internal sealed record NetworkLayout(string Directory)
{
    /// <summary>The development-only warning beside <c>accounts.json</c>.</summary>
    public const string WarningFileName = "ACCOUNTS-ARE-DEVELOPMENT-ONLY.txt";

    /// <summary>network.json: the nodes and their endpoints.</summary>
    public string ManifestFile => Path.Combine(Directory, NetworkManifest.FileName);

    /// <summary>genesis.json: the chain configuration every node starts from.</summary>
    public string GenesisFile => Path.Combine(Directory, "genesis.json");

    /// <summary>accounts.json: funded development keys.</summary>
    public string AccountsFile => Path.Combine(Directory, "accounts.json");

    /// <summary>The warning beside the accounts file.</summary>
    public string WarningFile => Path.Combine(Directory, WarningFileName);

    /// <summary>orgs/&lt;org&gt;: the organisation's CA and admin credentials.</summary>
    public string OrgDirectory(string org) => Path.Combine(Directory, "orgs", org);

    /// <summary>nodes/&lt;name&gt;: the node's configuration, keys, data, pid and log.</summary>
    public string NodeDirectory(string name) => Path.Combine(Directory, "nodes", name);

    /// <summary>nodes/&lt;name&gt;/node.json.</summary>
    public string NodeConfigFile(string name) => Path.Combine(NodeDirectory(name), "node.json");

    /// <summary>nodes/&lt;name&gt;/node.pid: the PID of the running node process.</summary>
    public string PidFile(string name) => Path.Combine(NodeDirectory(name), "node.pid");

    /// <summary>nodes/&lt;name&gt;/node.log: the node's standard output and error.</summary>
    public string LogFile(string name) => Path.Combine(NodeDirectory(name), "node.log");
}
