using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Trellis.Cli.Network;

/// <summary>
/// <c>network.json</c>: what a network directory holds (chain id, consensus, crypto suite, base port) and its nodes in
/// order (node i serves JSON-RPC at base port + i). Reading is strict: unknown or duplicate fields, wrong types, unsafe
/// names and node directories outside the network directory are refused with a message naming the field.
/// </summary>
internal sealed record NetworkManifest
{
    /// <summary>The file's name in the network directory.</summary>
    public const string FileName = "network.json";

    /// <summary>The format version this code reads and writes.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The largest network.json accepted (1 MiB).</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>The format version.</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>The chain id.</summary>
    public required ulong ChainId { get; init; }

    /// <summary>"hotstuff", "raft" or "solo".</summary>
    public required string Consensus { get; init; }

    /// <summary>"standard" or "national".</summary>
    public required string Crypto { get; init; }

    /// <summary>The first JSON-RPC port.</summary>
    public required int BasePort { get; init; }

    /// <summary>The nodes, in order.</summary>
    public required IReadOnlyList<NetworkNode> Nodes { get; init; }

    /// <summary>The number of distinct organisations among the nodes.</summary>
    public int OrgCount
    {
        get
        {
            var orgs = new HashSet<string>(StringComparer.Ordinal);
            foreach (NetworkNode node in Nodes)
            {
                orgs.Add(node.Org);
            }

            return orgs.Count;
        }
    }

    /// <summary>Reads and checks <c>network.json</c>.</summary>
    /// <exception cref="CliException">Missing, too large, not JSON or invalid; the message names the file and field.</exception>
    public static NetworkManifest Load(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new CliException($"'{path}' does not exist");
            }

            if (info.Length > MaxFileBytes)
            {
                throw new CliException($"'{path}' is {info.Length} bytes; the limit is {MaxFileBytes} (1 MiB)");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"'{path}' cannot be read: {e.Message}", e);
        }

        try
        {
            return Parse(bytes);
        }
        catch (FormatException e)
        {
            throw new CliException($"'{path}' is broken: {e.Message}", e);
        }
    }

    /// <summary>Parses network.json.</summary>
    /// <exception cref="FormatException">Not JSON, or invalid; the message names the field.</exception>
    public static NetworkManifest Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            utf8Json = utf8Json[3..];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new FormatException($"not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            Dictionary<string, JsonElement> fields = Fields(document.RootElement, "network", "version", "chainId", "consensus", "crypto", "basePort", "nodes");
            int version = Integer(Required(fields, "version", "network"), "version", 1, int.MaxValue);
            if (version != CurrentVersion)
            {
                throw new FormatException($"version: {version} is not supported (this trellis reads version {CurrentVersion})");
            }

            JsonElement chainIdElement = Required(fields, "chainId", "network");
            if (chainIdElement.ValueKind != JsonValueKind.Number || !chainIdElement.TryGetUInt64(out ulong chainId) || chainId == 0)
            {
                throw new FormatException($"chainId: must be an integer greater than 0, got {Describe(chainIdElement)}");
            }

            string consensus = OneOf(Required(fields, "consensus", "network"), "consensus", "hotstuff", "raft", "solo");
            string crypto = OneOf(Required(fields, "crypto", "network"), "crypto", "standard", "national");
            int basePort = Integer(Required(fields, "basePort", "network"), "basePort", 1, 65535);
            JsonElement nodesElement = Required(fields, "nodes", "network");
            if (nodesElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"nodes: must be an array, got {Describe(nodesElement)}");
            }

            int count = nodesElement.GetArrayLength();
            if (count is < 1 or > NetworkSpec.MaxNodes)
            {
                throw new FormatException($"nodes: must list 1 to {NetworkSpec.MaxNodes} nodes, got {count}");
            }

            if (consensus == "solo" && count != 1)
            {
                throw new FormatException($"nodes: a solo network has exactly one node, got {count}");
            }

            var nodes = new List<NetworkNode>(count);
            var names = new HashSet<string>(StringComparer.Ordinal);
            int index = 0;
            foreach (JsonElement item in nodesElement.EnumerateArray())
            {
                string path = $"nodes[{index.ToString(CultureInfo.InvariantCulture)}]";
                NetworkNode node = ReadNode(item, path, consensus == "solo");
                if (!names.Add(node.Name))
                {
                    throw new FormatException($"{path}.name: \"{node.Name}\" appears twice");
                }

                nodes.Add(node);
                index++;
            }

            return new NetworkManifest { Version = version, ChainId = chainId, Consensus = consensus, Crypto = crypto, BasePort = basePort, Nodes = nodes };
        }
    }

    /// <summary>Writes this manifest as indented JSON with a final newline.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", Version);
            writer.WriteNumber("chainId", ChainId);
            writer.WriteString("consensus", Consensus);
            writer.WriteString("crypto", Crypto);
            writer.WriteNumber("basePort", BasePort);
            writer.WriteStartArray("nodes");
            foreach (NetworkNode node in Nodes)
            {
                writer.WriteStartObject();
                writer.WriteString("name", node.Name);
                writer.WriteString("org", node.Org);
                writer.WriteString("role", node.Role);
                writer.WriteString("rpc", node.RpcText);
                if (node.P2p is null)
                {
                    writer.WriteNull("p2p");
                }
                else
                {
                    writer.WriteString("p2p", node.P2p);
                }

                writer.WriteString("dir", node.Dir);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>True for names that are safe as directory names and certificate fields: 1 to 64 of [A-Za-z0-9._-], not starting with a dot.</summary>
    public static bool IsSafeName(string name)
    {
        if (name.Length is 0 or > 64 || name[0] == '.')
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static NetworkNode ReadNode(JsonElement item, string path, bool solo)
    {
        Dictionary<string, JsonElement> fields = Fields(item, path, "name", "org", "role", "rpc", "p2p", "dir");
        string name = SafeName(Required(fields, "name", path), path + ".name");
        string org = SafeName(Required(fields, "org", path), path + ".org");
        string role = OneOf(Required(fields, "role", path), path + ".role", "validator", "observer");
        string rpcText = String(Required(fields, "rpc", path), path + ".rpc");
        if (!Uri.TryCreate(rpcText, UriKind.Absolute, out Uri? rpc) || rpc.Scheme != Uri.UriSchemeHttp || rpc.AbsolutePath != "/" || rpc.Query.Length > 0 || rpc.UserInfo.Length > 0)
        {
            throw new FormatException($"{path}.rpc: \"{rpcText}\" is not an http://host:port URL");
        }

        string? p2p = null;
        JsonElement p2pElement = Required(fields, "p2p", path);
        if (p2pElement.ValueKind != JsonValueKind.Null)
        {
            p2p = String(p2pElement, path + ".p2p");
            try
            {
                NetworkNode.SplitEndpoint(p2p);
            }
            catch (FormatException e)
            {
                throw new FormatException($"{path}.p2p: {e.Message}", e);
            }
        }
        else if (!solo)
        {
            throw new FormatException($"{path}.p2p: a networked node needs a peer endpoint host:port, got null");
        }

        string dir = String(Required(fields, "dir", path), path + ".dir");
        string expected = "nodes/" + name;
        if (dir != expected)
        {
            // The directory is derived from the name; anything else could point outside the network directory.
            throw new FormatException($"{path}.dir: must be \"{expected}\", got \"{dir}\"");
        }

        return new NetworkNode(name, org, role, rpc, p2p, dir);
    }

    private static Dictionary<string, JsonElement> Fields(JsonElement element, string path, params string[] allowed)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{path}: must be a JSON object, got {Describe(element)}");
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (Array.IndexOf(allowed, property.Name) < 0)
            {
                throw new FormatException($"{path}.{property.Name}: unknown field (known: {string.Join(", ", allowed)})");
            }

            if (!fields.TryAdd(property.Name, property.Value))
            {
                throw new FormatException($"{path}.{property.Name}: duplicate field");
            }
        }

        return fields;
    }

    private static JsonElement Required(Dictionary<string, JsonElement> fields, string name, string path) =>
        fields.TryGetValue(name, out JsonElement element) ? element : throw new FormatException($"{(path == "network" ? name : path + "." + name)}: missing");

    private static string String(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw new FormatException($"{path}: must be a string, got {Describe(element)}");
        }

        return element.GetString()!;
    }

    private static string SafeName(JsonElement element, string path)
    {
        string value = String(element, path);
        if (!IsSafeName(value))
        {
            throw new FormatException($"{path}: \"{Truncate(value)}\" must be 1 to 64 letters, digits, '.', '-' or '_', not starting with '.'");
        }

        return value;
    }

    private static string OneOf(JsonElement element, string path, params string[] values)
    {
        string value = String(element, path);
        if (Array.IndexOf(values, value) < 0)
        {
            throw new FormatException($"{path}: \"{Truncate(value)}\" is not one of {string.Join(", ", values)}");
        }

        return value;
    }

    private static int Integer(JsonElement element, string path, int min, int max)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out long value) || value < min || value > max)
        {
            throw new FormatException($"{path}: must be an integer from {min} to {max}, got {Describe(element)}");
        }

        return (int)value;
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Truncate(element.GetString()!)}\"",
        JsonValueKind.Number => $"the number {Truncate(element.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {element.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        _ => "an object",
    };

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
