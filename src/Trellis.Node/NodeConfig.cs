using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Trellis.Core;
using Trellis.Ledger.Genesis;
using Trellis.Node.JsonRpc;

namespace Trellis.Node;

/// <summary>
/// One node's own settings (not the chain's: those are in the genesis file), read from a JSON file such as
/// <c>node.json</c>. Reading is strict like the chain configuration: unknown or duplicate fields, wrong types and
/// out-of-range values are refused with a <see cref="ConfigException"/> naming the field. Relative paths are
/// resolved against the directory of the configuration file.
/// </summary>
public sealed class NodeConfig
{
    /// <summary>The largest node configuration file accepted (1 MiB).</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>The default JSON-RPC port.</summary>
    public const int DefaultRpcPort = 8545;

    private static readonly string[] LogLevels = ["trace", "debug", "information", "warning", "error", "critical", "none"];

    /// <summary>Directory of the node's database (<c>chain.db</c>) and its copy of the genesis file.</summary>
    public required string DataDir { get; init; }

    /// <summary>The chain configuration (genesis) file.</summary>
    public required string GenesisFile { get; init; }

    /// <summary>
    /// This node's name in the genesis <c>nodes</c> list; its address becomes the block proposer (coinbase).
    /// Null picks the first validator.
    /// </summary>
    public string? NodeName { get; init; }

    /// <summary>Interface the JSON-RPC server listens on (default 127.0.0.1).</summary>
    public string RpcHost { get; init; } = "127.0.0.1";

    /// <summary>JSON-RPC port (default 8545; 0 picks a free port).</summary>
    public int RpcPort { get; init; } = DefaultRpcPort;

    /// <summary>JSON-RPC limits (body size, batch size, rate limit).</summary>
    public JsonRpcOptions Rpc { get; init; } = new();

    /// <summary>Least severe log messages written (default information).</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>
    /// The node's ledger signing key (PKCS#8 PEM on the chain's curve), or null. Required for a validator of a
    /// networked engine (hotstuff, raft); optional for solo and observers.
    /// </summary>
    public string? SigningKeyFile { get; init; }

    /// <summary>The peer network settings; null runs without peers (solo).</summary>
    public P2pConfig? P2p { get; init; }

    /// <summary>The admin JSON-RPC methods: off unless <c>admin.enabled</c> is true.</summary>
    public AdminConfig Admin { get; init; } = new();

    /// <summary>The node's SQLite database: <c>DataDir/chain.db</c>.</summary>
    public string DatabasePath => Path.Combine(DataDir, "chain.db");

    /// <summary>The JSON-RPC URL to bind, for example <c>http://127.0.0.1:8545</c>.</summary>
    public string RpcUrl => $"http://{(RpcHost.Contains(':', StringComparison.Ordinal) ? "[" + RpcHost + "]" : RpcHost)}:{RpcPort.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Reads and checks a node configuration file.</summary>
    /// <exception cref="ConfigException">The file is missing, too large, not JSON, or invalid.</exception>
    public static NodeConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        byte[] bytes;
        try
        {
            var info = new FileInfo(fullPath);
            if (!info.Exists)
            {
                throw new ConfigException(string.Empty, $"node configuration file '{path}' does not exist");
            }

            if (info.Length > MaxFileBytes)
            {
                throw new ConfigException(string.Empty, $"node configuration file '{path}' is {info.Length} bytes; the limit is {MaxFileBytes} (1 MiB)");
            }

            bytes = File.ReadAllBytes(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(string.Empty, $"node configuration file '{path}' cannot be read: {e.Message}", e);
        }

        try
        {
            NodeConfig config = Parse(bytes, Path.GetDirectoryName(fullPath)!);
            config.CheckFilesExist();
            return config;
        }
        catch (ConfigException e)
        {
            string reason = e.Path.Length > 0 && e.Message.StartsWith(e.Path + ": ", StringComparison.Ordinal) ? e.Message[(e.Path.Length + 2)..] : e.Message;
            throw new ConfigException(e.Path, $"{reason} (in {path})", e);
        }
    }

    /// <summary>
    /// Parses node configuration JSON; relative paths are resolved against <paramref name="baseDirectory"/>. Unlike
    /// <see cref="Load"/> it does not look at the files the configuration names.
    /// </summary>
    /// <exception cref="ConfigException">Not JSON, or invalid.</exception>
    public static NodeConfig Parse(ReadOnlySpan<byte> utf8Json, string baseDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(baseDirectory);
        if (utf8Json.Length > MaxFileBytes)
        {
            throw new ConfigException(string.Empty, $"node configuration is {utf8Json.Length} bytes; the limit is {MaxFileBytes} (1 MiB)");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(Utf8Text.WithoutByteOrderMark(utf8Json).ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new ConfigException(string.Empty, $"node configuration is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            Dictionary<string, JsonElement> fields = Fields(root, string.Empty, "dataDir", "genesisFile", "nodeName", "rpcHost", "rpcPort", "rpc", "logLevel", "signingKeyFile", "p2p", "admin");
            string dataDir = RequiredPath(fields, "dataDir", baseDirectory);
            string genesisFile = RequiredPath(fields, "genesisFile", baseDirectory);
            string? nodeName = fields.TryGetValue("nodeName", out JsonElement nameElement) ? NonEmptyString(nameElement, "nodeName") : null;
            LogLevel logLevel = fields.TryGetValue("logLevel", out JsonElement levelElement) ? ReadLogLevel(levelElement) : LogLevel.Information;
            string? signingKeyFile = fields.ContainsKey("signingKeyFile") ? RequiredPath(fields, "signingKeyFile", baseDirectory) : null;

            string host = "127.0.0.1";
            int port = DefaultRpcPort;
            if (fields.TryGetValue("rpcHost", out JsonElement topHost))
            {
                host = NonEmptyString(topHost, "rpcHost");
            }

            if (fields.TryGetValue("rpcPort", out JsonElement topPort))
            {
                port = Integer(topPort, "rpcPort", 0, 65535);
            }

            var rpc = new JsonRpcOptions();
            if (fields.TryGetValue("rpc", out JsonElement rpcElement))
            {
                Dictionary<string, JsonElement> rpcFields = Fields(rpcElement, "rpc", "host", "port", "maxRequestBodyBytes", "maxBatchSize", "maxJsonDepth", "rateLimitPerSecond", "rateLimitBurst", "webSocketSendQueueCapacity");
                if (rpcFields.TryGetValue("host", out JsonElement hostElement))
                {
                    // Two places for one setting would leave a reader guessing which wins.
                    if (fields.ContainsKey("rpcHost"))
                    {
                        throw new ConfigException("rpc.host", "given twice: use either rpcHost or rpc.host");
                    }

                    host = NonEmptyString(hostElement, "rpc.host");
                }

                if (rpcFields.TryGetValue("port", out JsonElement portElement))
                {
                    if (fields.ContainsKey("rpcPort"))
                    {
                        throw new ConfigException("rpc.port", "given twice: use either rpcPort or rpc.port");
                    }

                    port = Integer(portElement, "rpc.port", 0, 65535);
                }

                rpc = new JsonRpcOptions
                {
                    MaxRequestBodyBytes = OptionalInteger(rpcFields, "maxRequestBodyBytes", rpc.MaxRequestBodyBytes),
                    MaxBatchSize = OptionalInteger(rpcFields, "maxBatchSize", rpc.MaxBatchSize),
                    MaxJsonDepth = OptionalInteger(rpcFields, "maxJsonDepth", rpc.MaxJsonDepth),
                    RateLimitPerSecond = rpcFields.TryGetValue("rateLimitPerSecond", out JsonElement rate) ? Number(rate, "rpc.rateLimitPerSecond") : rpc.RateLimitPerSecond,
                    RateLimitBurst = OptionalInteger(rpcFields, "rateLimitBurst", rpc.RateLimitBurst),
                    WebSocketSendQueueCapacity = OptionalInteger(rpcFields, "webSocketSendQueueCapacity", rpc.WebSocketSendQueueCapacity),
                };
            }

            P2pConfig? p2p = fields.TryGetValue("p2p", out JsonElement p2pElement) ? ReadP2p(p2pElement, baseDirectory) : null;
            AdminConfig admin = fields.TryGetValue("admin", out JsonElement adminElement) ? ReadAdmin(adminElement, baseDirectory) : new AdminConfig();
            return new NodeConfig
            {
                DataDir = dataDir,
                GenesisFile = genesisFile,
                NodeName = nodeName,
                RpcHost = host,
                RpcPort = port,
                Rpc = rpc,
                LogLevel = logLevel,
                SigningKeyFile = signingKeyFile,
                P2p = p2p,
                Admin = admin,
            };
        }
    }

    /// <summary>
    /// Writes this configuration as JSON. Paths are written relative to <paramref name="baseDirectory"/> when they are
    /// inside it or beside it, so a directory of node files can be moved as a whole.
    /// </summary>
    public string ToJson(string baseDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(baseDirectory);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("dataDir", Path.GetRelativePath(baseDirectory, DataDir));
            writer.WriteString("genesisFile", Path.GetRelativePath(baseDirectory, GenesisFile));
            if (NodeName is not null)
            {
                writer.WriteString("nodeName", NodeName);
            }

            writer.WriteString("rpcHost", RpcHost);
            writer.WriteNumber("rpcPort", RpcPort);
            writer.WriteString("logLevel", LogLevels[(int)LogLevel]);
            if (SigningKeyFile is not null)
            {
                writer.WriteString("signingKeyFile", Path.GetRelativePath(baseDirectory, SigningKeyFile));
            }

            if (P2p is not null)
            {
                writer.WriteStartObject("p2p");
                writer.WriteString("listenHost", P2p.ListenHost);
                writer.WriteNumber("listenPort", P2p.ListenPort);
                writer.WriteString("certificateFile", Path.GetRelativePath(baseDirectory, P2p.CertificateFile));
                writer.WriteString("privateKeyFile", Path.GetRelativePath(baseDirectory, P2p.PrivateKeyFile));
                if (P2p.MemberCaDirectory is not null)
                {
                    writer.WriteString("memberCaDirectory", Path.GetRelativePath(baseDirectory, P2p.MemberCaDirectory));
                }

                writer.WriteStartArray("peers");
                foreach (string peer in P2p.Peers)
                {
                    writer.WriteStringValue(peer);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            if (Admin.Enabled || Admin.ApiKeyFile is not null || Admin.AllowRemote)
            {
                writer.WriteStartObject("admin");
                writer.WriteBoolean("enabled", Admin.Enabled);
                if (Admin.ApiKeyFile is not null)
                {
                    writer.WriteString("apiKeyFile", Path.GetRelativePath(baseDirectory, Admin.ApiKeyFile));
                }

                writer.WriteBoolean("allowRemote", Admin.AllowRemote);
                writer.WriteEndObject();
            }

            writer.WriteStartObject("rpc");
            writer.WriteNumber("maxRequestBodyBytes", Rpc.MaxRequestBodyBytes);
            writer.WriteNumber("maxBatchSize", Rpc.MaxBatchSize);
            writer.WriteNumber("maxJsonDepth", Rpc.MaxJsonDepth);
            writer.WriteNumber("rateLimitPerSecond", Rpc.RateLimitPerSecond);
            writer.WriteNumber("rateLimitBurst", Rpc.RateLimitBurst);
            writer.WriteNumber("webSocketSendQueueCapacity", Rpc.WebSocketSendQueueCapacity);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Checks that the files named (signing key, TLS certificate and key) exist; <see cref="Load"/> calls it.</summary>
    /// <exception cref="ConfigException">A named file does not exist; the message names the field and the path.</exception>
    public void CheckFilesExist()
    {
        RequireFile(SigningKeyFile, "signingKeyFile");
        RequireFile(P2p?.CertificateFile, "p2p.certificateFile");
        RequireFile(P2p?.PrivateKeyFile, "p2p.privateKeyFile");
        if (Admin.Enabled)
        {
            RequireFile(Admin.ApiKeyFile, "admin.apiKeyFile");
        }
    }

    private static void RequireFile(string? path, string field)
    {
        if (path is not null && !File.Exists(path))
        {
            throw new ConfigException(field, Directory.Exists(path) ? $"'{path}' is a directory, not a file" : $"file '{path}' does not exist");
        }
    }

    private static P2pConfig ReadP2p(JsonElement element, string baseDirectory)
    {
        Dictionary<string, JsonElement> fields = Fields(element, "p2p", "listenHost", "listenPort", "certificateFile", "privateKeyFile", "peers", "memberCaDirectory");
        string listenHost = "127.0.0.1";
        if (fields.TryGetValue("listenHost", out JsonElement hostElement))
        {
            listenHost = NonEmptyString(hostElement, "p2p.listenHost");
            try
            {
                PeerAddress.ParseListenHost(listenHost);
            }
            catch (FormatException e)
            {
                throw new ConfigException("p2p.listenHost", e.Message, e);
            }
        }

        if (!fields.TryGetValue("listenPort", out JsonElement portElement))
        {
            throw new ConfigException("p2p.listenPort", "missing");
        }

        int listenPort = Integer(portElement, "p2p.listenPort", 0, 65535);
        var pathFields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach ((string key, JsonElement value) in fields)
        {
            pathFields["p2p." + key] = value;
        }

        string certificateFile = RequiredPath(pathFields, "p2p.certificateFile", baseDirectory);
        string privateKeyFile = RequiredPath(pathFields, "p2p.privateKeyFile", baseDirectory);
        string? memberCaDirectory = pathFields.ContainsKey("p2p.memberCaDirectory") ? RequiredPath(pathFields, "p2p.memberCaDirectory", baseDirectory) : null;
        var peers = new List<string>();
        if (fields.TryGetValue("peers", out JsonElement peersElement))
        {
            if (peersElement.ValueKind != JsonValueKind.Array)
            {
                throw new ConfigException("p2p.peers", $"must be an array of \"host:port\" strings, got {Describe(peersElement)}");
            }

            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            int index = 0;
            foreach (JsonElement peer in peersElement.EnumerateArray())
            {
                string path = $"p2p.peers[{index++}]";
                string text = NonEmptyString(peer, path);
                try
                {
                    PeerAddress.Parse(text);
                }
                catch (FormatException e)
                {
                    throw new ConfigException(path, e.Message, e);
                }

                if (!seen.Add(text))
                {
                    throw new ConfigException(path, $"peer \"{text}\" is listed twice");
                }

                peers.Add(text);
            }
        }

        return new P2pConfig
        {
            ListenHost = listenHost,
            ListenPort = listenPort,
            CertificateFile = certificateFile,
            PrivateKeyFile = privateKeyFile,
            Peers = peers,
            MemberCaDirectory = memberCaDirectory,
        };
    }

    private static AdminConfig ReadAdmin(JsonElement element, string baseDirectory)
    {
        Dictionary<string, JsonElement> fields = Fields(element, "admin", "enabled", "apiKeyFile", "allowRemote");
        bool enabled = fields.TryGetValue("enabled", out JsonElement enabledElement) && Boolean(enabledElement, "admin.enabled");
        bool allowRemote = fields.TryGetValue("allowRemote", out JsonElement remoteElement) && Boolean(remoteElement, "admin.allowRemote");
        string? apiKeyFile = null;
        if (fields.TryGetValue("apiKeyFile", out JsonElement keyElement))
        {
            var pathFields = new Dictionary<string, JsonElement>(StringComparer.Ordinal) { ["admin.apiKeyFile"] = keyElement };
            apiKeyFile = RequiredPath(pathFields, "admin.apiKeyFile", baseDirectory);
        }
        else if (enabled)
        {
            // An enabled admin interface without a key would be open to anyone who can reach it.
            throw new ConfigException("admin.apiKeyFile", "missing: admin.enabled is true, and admin calls need an API key file (64 hex digits)");
        }

        return new AdminConfig { Enabled = enabled, ApiKeyFile = apiKeyFile, AllowRemote = allowRemote };
    }

    private static bool Boolean(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new ConfigException(path, $"must be true or false, got {Describe(element)}"),
    };

    private static Dictionary<string, JsonElement> Fields(JsonElement element, string path, params string[] allowed)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ConfigException(path, $"must be a JSON object, got {Describe(element)}");
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            string fieldPath = path.Length == 0 ? property.Name : path + "." + property.Name;
            if (Array.IndexOf(allowed, property.Name) < 0)
            {
                throw new ConfigException(fieldPath, $"unknown field (known: {string.Join(", ", allowed)})");
            }

            if (!fields.TryAdd(property.Name, property.Value))
            {
                throw new ConfigException(fieldPath, "duplicate field");
            }
        }

        return fields;
    }

    private static string RequiredPath(Dictionary<string, JsonElement> fields, string name, string baseDirectory)
    {
        if (!fields.TryGetValue(name, out JsonElement element))
        {
            throw new ConfigException(name, "missing");
        }

        string value = NonEmptyString(element, name);
        try
        {
            return Path.GetFullPath(value, baseDirectory);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ConfigException(name, $"'{value}' is not a usable path: {e.Message}", e);
        }
    }

    private static string NonEmptyString(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw new ConfigException(path, $"must be a string, got {Describe(element)}");
        }

        string value = element.GetString()!;
        if (value.Length == 0 || value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ConfigException(path, "must be a non-empty string without NUL characters");
        }

        return value;
    }

    private static int OptionalInteger(Dictionary<string, JsonElement> fields, string name, int fallback) =>
        fields.TryGetValue(name, out JsonElement element) ? Integer(element, "rpc." + name, 1, int.MaxValue) : fallback;

    private static int Integer(JsonElement element, string path, int min, int max)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out long value))
        {
            throw new ConfigException(path, $"must be an integer from {min} to {max}, got {Describe(element)}");
        }

        if (value < min || value > max)
        {
            throw new ConfigException(path, $"must be from {min} to {max}, got {value}");
        }

        return (int)value;
    }

    private static double Number(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out double value) || !double.IsFinite(value))
        {
            throw new ConfigException(path, $"must be a number (0 or less turns the limit off), got {Describe(element)}");
        }

        return value;
    }

    private static LogLevel ReadLogLevel(JsonElement element)
    {
        string value = NonEmptyString(element, "logLevel");
        int index = Array.IndexOf(LogLevels, value.ToLowerInvariant());
        if (index < 0)
        {
            throw new ConfigException("logLevel", $"'{value}' is not one of {string.Join(", ", LogLevels)}");
        }

        return (LogLevel)index;
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
