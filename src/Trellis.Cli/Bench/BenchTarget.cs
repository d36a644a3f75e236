using System.Globalization;
using System.Text.Json;
using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Cli.Bench;

/// <summary>
/// The network a benchmark runs against, read from a network directory and the command-line overrides: the nodes
/// (network.json of a multi-node <c>trellis up</c>, or the single <c>node0/node.json</c> of a solo one), the sender
/// keys (accounts.json or <c>--keys</c>), the crypto suite and the pool size.
/// </summary>
internal sealed class BenchTarget
{
    private BenchTarget(IReadOnlyList<BenchNode> nodes, IReadOnlyList<PrivateKey> keys, ICryptoSuite suite, string suiteSource, int? poolMaxCount, string? consensus)
    {
        Nodes = nodes;
        Keys = keys;
        Suite = suite;
        SuiteSource = suiteSource;
        PoolMaxCount = poolMaxCount;
        Consensus = consensus;
    }

    /// <summary>The nodes, in network.json order (or <c>--rpc</c> order).</summary>
    public IReadOnlyList<BenchNode> Nodes { get; }

    /// <summary>The sender keys available.</summary>
    public IReadOnlyList<PrivateKey> Keys { get; }

    /// <summary>The chain's crypto suite.</summary>
    public ICryptoSuite Suite { get; }

    /// <summary>Where the suite was learned (for the summary).</summary>
    public string SuiteSource { get; }

    /// <summary>The chain's transaction pool size, when the genesis file was at hand.</summary>
    public int? PoolMaxCount { get; }

    /// <summary>The consensus engine named by network.json or genesis.json, if known.</summary>
    public string? Consensus { get; }

    /// <summary>Resolves the target of <paramref name="settings"/>; random keys are generated when only a sink is measured.</summary>
    /// <exception cref="CliException">A missing or malformed file, or no keys.</exception>
    public static BenchTarget Resolve(BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string? directory = settings.Directory is null ? null : Path.GetFullPath(settings.Directory);
        if (directory is not null && !System.IO.Directory.Exists(directory))
        {
            throw new CliException($"--dir: network directory '{directory}' does not exist");
        }

        List<BenchNode> nodes = [];
        string? suiteName = null;
        string suiteSource = "default";
        string? consensus = null;
        if (directory is not null)
        {
            string networkFile = Path.Combine(directory, "network.json");
            if (File.Exists(networkFile))
            {
                (nodes, suiteName, consensus) = ReadNetwork(networkFile, directory);
                suiteSource = suiteName is null ? suiteSource : "network.json";
            }
            else
            {
                nodes.Add(ReadSoloNode(directory));
            }
        }

        if (settings.RpcUrls.Count > 0)
        {
            // --rpc overrides the directory's endpoints; a URL that names a known node keeps its name and pid file.
            var byUrl = nodes.ToDictionary(n => Normalise(n.Rpc), StringComparer.OrdinalIgnoreCase);
            nodes = [.. settings.RpcUrls.Select(u => byUrl.TryGetValue(Normalise(u), out BenchNode? known) ? known : new BenchNode(u.Authority, u, null))];
        }

        int? poolMaxCount = null;
        if (directory is not null)
        {
            string genesis = Path.Combine(directory, "genesis.json");
            if (File.Exists(genesis))
            {
                (string? genesisSuite, poolMaxCount, string? genesisEngine) = ReadGenesis(genesis);
                consensus ??= genesisEngine;
                if (suiteName is null && genesisSuite is not null)
                {
                    suiteName = genesisSuite;
                    suiteSource = "genesis.json";
                }
            }
        }

        if (settings.Crypto is not null)
        {
            suiteName = settings.Crypto;
            suiteSource = "--crypto";
        }

        string? keysFile = settings.KeysFile ?? (directory is null ? null : Path.Combine(directory, "accounts.json"));
        List<KeyEntry> entries = keysFile is null ? [] : ReadKeys(keysFile, settings.KeysFile is not null);

        ICryptoSuite suite;
        if (suiteName is not null)
        {
            if (!CryptoSuites.TryGet(suiteName, out suite))
            {
                throw new CliException($"unknown crypto suite '{suiteName}' (from {suiteSource}; known: {string.Join(", ", CryptoSuites.Names)})");
            }
        }
        else
        {
            // Without a genesis file, an address listed beside a key tells which suite derived it.
            suite = GuessSuite(entries, ref suiteSource);
        }

        List<PrivateKey> keys = new(entries.Count);
        foreach (KeyEntry entry in entries)
        {
            PrivateKey key;
            try
            {
                key = suite.ImportPrivateKey(entry.Key);
            }
            catch (ArgumentException e)
            {
                throw new CliException($"{entry.Source}: not a {suite.Name} private key: {e.Message}", e);
            }

            if (entry.Address is Address expected && suite.ToAddress(suite.DerivePublicKey(key)) != expected)
            {
                throw new CliException($"{entry.Source}: the key does not belong to address {expected} in the {suite.Name} suite (wrong --crypto?)");
            }

            keys.Add(key);
        }

        if (keys.Count == 0 && settings.SinkOnly)
        {
            for (int i = 0; i < settings.Senders; i++)
            {
                keys.Add(suite.GeneratePrivateKey());
            }
        }

        if (keys.Count == 0)
        {
            throw new CliException(keysFile is null
                ? "no sender keys: give --keys FILE (accounts.json format or one hex key per line) or --dir DIR with an accounts.json"
                : $"no sender keys in {keysFile}");
        }

        return new BenchTarget(nodes, keys, suite, suiteSource, poolMaxCount, consensus);
    }

    private static string Normalise(Uri url) => url.GetLeftPart(UriPartial.Authority);

    private static (List<BenchNode> Nodes, string? Suite, string? Consensus) ReadNetwork(string file, string directory)
    {
        using JsonDocument document = ParseJson(file);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("nodes", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new CliException($"{file}: expected an object with a \"nodes\" array");
        }

        var nodes = new List<BenchNode>();
        int index = 0;
        foreach (JsonElement node in list.EnumerateArray())
        {
            string where = $"{file}: nodes[{index.ToString(CultureInfo.InvariantCulture)}]";
            string name = RequiredString(node, "name", where);
            string rpc = RequiredString(node, "rpc", where);
            if (!Uri.TryCreate(rpc, UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                throw new CliException($"{where}.rpc: '{rpc}' is not an http:// URL");
            }

            string? pidFile = node.TryGetProperty("dir", out JsonElement dir) && dir.ValueKind == JsonValueKind.String
                ? Path.Combine(Path.GetFullPath(dir.GetString()!, directory), "node.pid")
                : null;
            nodes.Add(new BenchNode(name, url, pidFile));
            index++;
        }

        if (nodes.Count == 0)
        {
            throw new CliException($"{file}: the \"nodes\" array is empty");
        }

        string? suite = root.TryGetProperty("crypto", out JsonElement crypto) && crypto.ValueKind == JsonValueKind.String ? crypto.GetString() : null;
        string? consensus = root.TryGetProperty("consensus", out JsonElement engine) && engine.ValueKind == JsonValueKind.String ? engine.GetString() : null;
        return (nodes, suite, consensus);
    }

    private static BenchNode ReadSoloNode(string directory)
    {
        string nodeDirectory = Path.Combine(directory, Trellis.Node.DevelopmentChain.NodeDirectoryName);
        string file = Path.Combine(nodeDirectory, Trellis.Node.DevelopmentChain.NodeConfigFileName);
        if (!File.Exists(file))
        {
            throw new CliException($"--dir: '{directory}' holds neither network.json nor {Path.Combine(Trellis.Node.DevelopmentChain.NodeDirectoryName, Trellis.Node.DevelopmentChain.NodeConfigFileName)}; is it a directory made by 'trellis up'?");
        }

        Trellis.Node.NodeConfig config;
        try
        {
            config = Trellis.Node.NodeConfig.Load(file);
        }
        catch (Trellis.Ledger.Genesis.ConfigException e)
        {
            throw new CliException(e.Message, e);
        }

        // A wildcard listen address is reached over loopback.
        string host = config.RpcHost is "0.0.0.0" or "::" or "[::]" ? "127.0.0.1" : config.RpcHost;
        var url = new Uri(new Trellis.Node.NodeConfig { DataDir = config.DataDir, GenesisFile = config.GenesisFile, RpcHost = host, RpcPort = config.RpcPort }.RpcUrl);
        return new BenchNode(config.NodeName ?? Trellis.Node.DevelopmentChain.NodeDirectoryName, url, Path.Combine(nodeDirectory, "node.pid"));
    }

    private static (string? Suite, int? PoolMaxCount, string? Engine) ReadGenesis(string file)
    {
        // Read loosely: only three fields matter here, and genesis files gain fields as the platform grows.
        using JsonDocument document = ParseJson(file);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new CliException($"{file}: expected a JSON object");
        }

        string? suite = root.TryGetProperty("cryptoSuite", out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        int? maxCount = root.TryGetProperty("txPool", out JsonElement pool) && pool.ValueKind == JsonValueKind.Object &&
            pool.TryGetProperty("maxCount", out JsonElement count) && count.TryGetInt32(out int value) && value > 0 ? value : null;
        string? engine = root.TryGetProperty("consensus", out JsonElement c) && c.ValueKind == JsonValueKind.Object &&
            c.TryGetProperty("engine", out JsonElement e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        return (suite, maxCount, engine);
    }

    private static List<KeyEntry> ReadKeys(string file, bool explicitFile)
    {
        if (!File.Exists(file))
        {
            throw new CliException(explicitFile
                ? $"--keys: key file '{file}' does not exist"
                : $"--dir: '{file}' is missing; give --keys FILE with the sender keys (accounts.json format or one hex key per line)");
        }

        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"key file '{file}' cannot be read: {e.Message}", e);
        }

        var entries = new List<KeyEntry>();
        string trimmed = text.TrimStart();
        if (trimmed.StartsWith('['))
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text);
            }
            catch (JsonException e)
            {
                throw new CliException($"key file '{file}' is not valid JSON: {e.Message}", e);
            }

            using (document)
            {
                int index = 0;
                foreach (JsonElement item in document.RootElement.EnumerateArray())
                {
                    string where = $"{file}: [{index.ToString(CultureInfo.InvariantCulture)}]";
                    string key = item.ValueKind == JsonValueKind.String ? item.GetString()! : RequiredString(item, "privateKey", where);
                    Address? address = null;
                    if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("address", out JsonElement a) && a.ValueKind == JsonValueKind.String)
                    {
                        if (!Address.TryParse(a.GetString(), out Address parsed))
                        {
                            throw new CliException($"{where}.address: '{a.GetString()}' is not a 20-byte hex address");
                        }

                        address = parsed;
                    }

                    entries.Add(new KeyEntry(DecodeKey(key, where), address, where));
                    index++;
                }
            }
        }
        else
        {
            int line = 0;
            foreach (string raw in text.Split('\n'))
            {
                line++;
                string value = raw.Trim();
                if (value.Length == 0 || value.StartsWith('#'))
                {
                    continue;
                }

                string where = $"{file}:{line.ToString(CultureInfo.InvariantCulture)}";
                entries.Add(new KeyEntry(DecodeKey(value, where), null, where));
            }
        }

        return entries;
    }

    private static byte[] DecodeKey(string text, string where)
    {
        if (!Hex.TryDecode(text, out byte[] bytes, out string? error) || bytes.Length != PrivateKey.Length)
        {
            throw new CliException($"{where}: a private key must be 32 bytes of hex{(error is null ? string.Empty : ": " + error)}");
        }

        return bytes;
    }

    private static ICryptoSuite GuessSuite(List<KeyEntry> entries, ref string source)
    {
        foreach (KeyEntry entry in entries)
        {
            if (entry.Address is not Address address)
            {
                continue;
            }

            foreach (string name in CryptoSuites.Names)
            {
                ICryptoSuite candidate = CryptoSuites.Get(name);
                try
                {
                    if (candidate.ToAddress(candidate.DerivePublicKey(candidate.ImportPrivateKey(entry.Key))) == address)
                    {
                        source = "account addresses";
                        return candidate;
                    }
                }
                catch (ArgumentException)
                {
                    // Not a key of this curve; try the other.
                }
            }
        }

        return CryptoSuites.Standard;
    }

    private static JsonDocument ParseJson(string file)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(file));
        }
        catch (JsonException e)
        {
            throw new CliException($"{file} is not valid JSON: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{file} cannot be read: {e.Message}", e);
        }
    }

    private static string RequiredString(JsonElement element, string name, string where)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.String || value.GetString()!.Length == 0)
        {
            throw new CliException($"{where}: missing string field \"{name}\"");
        }

        return value.GetString()!;
    }

    private sealed record KeyEntry(byte[] Key, Address? Address, string Source);
}
