using System.Globalization;
using Trellis.Ledger.Genesis;
using ConfigException = Trellis.Ledger.Genesis.ConfigException;
using NodeFileConfig = Trellis.Node.NodeConfig;

namespace Trellis.Cli.Network;

/// <summary>Opens a network directory (checking every file a node needs), or creates one.</summary>
internal static class NetworkDirectory
{
    /// <summary>
    /// Opens the network in <see cref="UpRequest.Directory"/>, or creates it when the directory is missing or empty.
    /// An existing network is never rewritten; options that conflict with it are refused.
    /// </summary>
    /// <exception cref="CliException">A conflict, a broken file, or a directory that holds something else.</exception>
    public static (NetworkLayout Layout, NetworkManifest Manifest, ChainConfig Chain, bool Created) OpenOrCreate(UpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var layout = new NetworkLayout(Path.TrimEndingDirectorySeparator(Path.GetFullPath(request.Directory)));
        if (!File.Exists(layout.ManifestFile))
        {
            if (File.Exists(layout.GenesisFile) && File.Exists(Path.Combine(layout.Directory, "node0", "node.json")))
            {
                throw new CliException($"'{layout.Directory}' holds a one-node network made by an older trellis up (node0/ without {NetworkManifest.FileName}); remove it or pick another --dir");
            }

            NetworkManifest created = NetworkGenerator.Create(layout.Directory, request.ToSpec());
            return (layout, created, LoadChain(layout, created), true);
        }

        // Conflicts first: they are what the user most needs to hear about.
        NetworkManifest manifest = LoadManifest(layout);
        ChainConfig chain = LoadChain(layout, manifest);
        CheckConflicts(request, layout, manifest, chain);
        CheckNodeConfigs(layout, manifest);
        return (layout, manifest, chain, false);
    }

    /// <summary>
    /// Reads network.json, genesis.json and every node.json of an existing network, and checks they agree.
    /// </summary>
    /// <exception cref="CliException">A file is missing or broken; the message names it.</exception>
    public static (NetworkManifest Manifest, ChainConfig Chain) Open(NetworkLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        NetworkManifest manifest = LoadManifest(layout);
        ChainConfig chain = LoadChain(layout, manifest);
        CheckNodeConfigs(layout, manifest);
        return (manifest, chain);
    }

    private static void CheckNodeConfigs(NetworkLayout layout, NetworkManifest manifest)
    {
        foreach (NetworkNode node in manifest.Nodes)
        {
            string file = layout.NodeConfigFile(node.Name);
            NodeFileConfig config;
            try
            {
                config = NodeFileConfig.Load(file);
            }
            catch (ConfigException e)
            {
                throw new CliException(e.Message.Contains(file, StringComparison.Ordinal) ? e.Message : $"{e.Message} (in {file})", e);
            }

            if (config.RpcPort != node.RpcPort)
            {
                throw new CliException($"'{file}' serves JSON-RPC on port {config.RpcPort}, but {NetworkManifest.FileName} says {node.Name} is at {node.RpcText}; the files disagree");
            }

            if (config.NodeName is not null && config.NodeName != node.Name)
            {
                throw new CliException($"'{file}' names the node \"{config.NodeName}\", but it is the directory of {node.Name}; the files disagree");
            }
        }
    }

    /// <summary>Reads network.json of a directory that must exist and hold one.</summary>
    /// <exception cref="CliException">The directory or file is missing, or the file is broken.</exception>
    public static NetworkManifest LoadManifest(NetworkLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (!Directory.Exists(layout.Directory))
        {
            throw new CliException($"network directory '{layout.Directory}' does not exist (trellis up --dir creates one)");
        }

        if (!File.Exists(layout.ManifestFile))
        {
            throw new CliException($"'{layout.Directory}' holds no Trellis network: {NetworkManifest.FileName} is missing");
        }

        return NetworkManifest.Load(layout.ManifestFile);
    }

    private static ChainConfig LoadChain(NetworkLayout layout, NetworkManifest manifest)
    {
        ChainConfig chain;
        try
        {
            chain = ChainConfig.Load(layout.GenesisFile);
        }
        catch (ConfigException e)
        {
            throw new CliException(e.Message.Contains(layout.GenesisFile, StringComparison.Ordinal) ? e.Message : $"'{layout.GenesisFile}' is broken: {e.Message}", e);
        }

        if (chain.ChainId != manifest.ChainId)
        {
            throw new CliException($"'{layout.GenesisFile}' has chain id {chain.ChainId}, but {NetworkManifest.FileName} says {manifest.ChainId}; the files disagree");
        }

        if (chain.Consensus.Engine != manifest.Consensus)
        {
            throw new CliException($"'{layout.GenesisFile}' runs consensus '{chain.Consensus.Engine}', but {NetworkManifest.FileName} says '{manifest.Consensus}'; the files disagree");
        }

        if (chain.Suite.Name != manifest.Crypto)
        {
            throw new CliException($"'{layout.GenesisFile}' uses the {chain.Suite.Name} crypto suite, but {NetworkManifest.FileName} says {manifest.Crypto}; the files disagree");
        }

        // Nodes added by a governance vote (trellis node add) are listed in network.json but not in genesis.json, which
        // never changes; their organisation must still be one of this directory's (orgs/<org>).
        foreach (NetworkNode node in manifest.Nodes)
        {
            bool found = false;
            foreach (Trellis.Ledger.Genesis.NodeConfig entry in chain.Nodes)
            {
                found |= entry.Name == node.Name;
            }

            if (!found && !Directory.Exists(layout.OrgDirectory(node.Org)))
            {
                throw new CliException($"node {node.Name} of {NetworkManifest.FileName} is not in '{layout.GenesisFile}' and its organisation {node.Org} has no directory under orgs/; the files disagree");
            }
        }

        return chain;
    }

    private static void CheckConflicts(UpRequest request, NetworkLayout layout, NetworkManifest manifest, ChainConfig chain)
    {
        string what = Describe(manifest);
        void Refuse(string option, string given, string has) =>
            throw new CliException($"'{layout.Directory}' holds {what} with {has}; {option} {given} conflicts (leave the option out to resume it, or pick another --dir)");

        if (request.Consensus is not null && request.Consensus != manifest.Consensus)
        {
            Refuse("--consensus", request.Consensus, "consensus " + manifest.Consensus);
        }

        if (request.Crypto is not null && request.Crypto != manifest.Crypto)
        {
            Refuse("--crypto", request.Crypto, manifest.Crypto + " crypto");
        }

        if (request.BasePort is { } port && port != manifest.BasePort)
        {
            Refuse("--base-port", port.ToString(CultureInfo.InvariantCulture), "base port " + manifest.BasePort.ToString(CultureInfo.InvariantCulture));
        }

        if (request.ChainId is { } chainId && chainId != manifest.ChainId)
        {
            Refuse("--chain-id", chainId.ToString(CultureInfo.InvariantCulture), "chain id " + manifest.ChainId.ToString(CultureInfo.InvariantCulture));
        }

        if (request.BlockIntervalMs is { } interval && interval != chain.Consensus.BlockIntervalMs)
        {
            Refuse("--block-interval", interval.ToString(CultureInfo.InvariantCulture), "block interval " + chain.Consensus.BlockIntervalMs.ToString(CultureInfo.InvariantCulture) + " ms");
        }

        if (request.BlockGasLimit is { } gasLimit && gasLimit != chain.BlockGasLimit)
        {
            Refuse("--block-gas-limit", gasLimit.ToString(CultureInfo.InvariantCulture), "block gas limit " + chain.BlockGasLimit.ToString(CultureInfo.InvariantCulture));
        }

        // A solo network has one organisation and one node whatever --orgs said when it was made.
        if (manifest.Consensus == "solo")
        {
            return;
        }

        int orgs = manifest.OrgCount;
        if (request.Orgs is { } o && o != orgs)
        {
            Refuse("--orgs", o.ToString(CultureInfo.InvariantCulture), orgs.ToString(CultureInfo.InvariantCulture) + " organisations");
        }

        if (request.NodesPerOrg is { } m && m * orgs != manifest.Nodes.Count)
        {
            Refuse("--nodes-per-org", m.ToString(CultureInfo.InvariantCulture), (manifest.Nodes.Count / Math.Max(orgs, 1)).ToString(CultureInfo.InvariantCulture) + " nodes per organisation");
        }
    }

    /// <summary>"a 4-node hotstuff network" or "a solo network".</summary>
    public static string Describe(NetworkManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return manifest.Consensus == "solo"
            ? "a solo network"
            : $"a {manifest.Nodes.Count.ToString(CultureInfo.InvariantCulture)}-node {manifest.Consensus} network";
    }
}
