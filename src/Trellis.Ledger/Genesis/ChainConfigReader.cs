using System.Globalization;
using System.Text.Json;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Governance;

namespace Trellis.Ledger.Genesis;

// Walks the JSON by hand so every error names its path and reason in words a node operator can act on.
internal static class ChainConfigReader
{
    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 16,
    };

    public static ChainConfig Read(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray(), Options);
        }
        catch (JsonException e)
        {
            throw new ConfigException(string.Empty, $"not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            Dictionary<string, JsonElement> fields = Fields(root, string.Empty,
                "chainId", "cryptoSuite", "consensus", "blockGasLimit", "txPool", "alloc", "members", "nodes", "timestamp", "permissions");

            ulong chainId = UInt64(Required(fields, "chainId", string.Empty), "chainId");
            if (chainId == 0)
            {
                throw new ConfigException("chainId", "must be greater than 0");
            }

            string suiteName = String(Required(fields, "cryptoSuite", string.Empty), "cryptoSuite");
            if (suiteName is not ("standard" or "national"))
            {
                throw new ConfigException("cryptoSuite", $"'{suiteName}' is not one of standard, national");
            }

            ICryptoSuite suite = CryptoSuites.Get(suiteName);
            ConsensusConfig consensus = ReadConsensus(Required(fields, "consensus", string.Empty));
            ulong blockGasLimit = UInt64(Required(fields, "blockGasLimit", string.Empty), "blockGasLimit");
            if (blockGasLimit < 21000)
            {
                throw new ConfigException("blockGasLimit", $"{blockGasLimit} is below 21000, the cost of the simplest transaction");
            }

            TxPoolConfig txPool = fields.TryGetValue("txPool", out JsonElement pool) ? ReadTxPool(pool) : new TxPoolConfig();
            Dictionary<Address, GenesisAccount> alloc = fields.TryGetValue("alloc", out JsonElement allocElement)
                ? ReadAlloc(allocElement)
                : [];
            List<MemberConfig> members = ReadMembers(Required(fields, "members", string.Empty));
            List<NodeConfig> nodes = ReadNodes(Required(fields, "nodes", string.Empty), suite, members);
            ulong timestamp = fields.TryGetValue("timestamp", out JsonElement time) ? UInt64(time, "timestamp") : 0;
            PermissionsConfig permissions = fields.TryGetValue("permissions", out JsonElement permissionsElement)
                ? ReadPermissions(permissionsElement)
                : new PermissionsConfig();

            return new ChainConfig
            {
                ChainId = chainId,
                Suite = suite,
                Consensus = consensus,
                BlockGasLimit = blockGasLimit,
                TxPool = txPool,
                Alloc = alloc,
                Members = members,
                Nodes = nodes,
                Timestamp = timestamp,
                Permissions = permissions,
            };
        }
    }

    private static ConsensusConfig ReadConsensus(JsonElement element)
    {
        Dictionary<string, JsonElement> fields = Fields(element, "consensus", "engine", "blockIntervalMs", "maxTransactionsPerBlock", "viewTimeoutMs");
        string engine = String(Required(fields, "engine", "consensus"), "consensus.engine");
        if (!ConsensusConfig.Engines.Contains(engine))
        {
            throw new ConfigException("consensus.engine", $"'{engine}' is not one of {string.Join(", ", ConsensusConfig.Engines)}");
        }

        int interval = fields.TryGetValue("blockIntervalMs", out JsonElement i) ? PositiveInt(i, "consensus.blockIntervalMs") : 1000;
        return new ConsensusConfig
        {
            Engine = engine,
            BlockIntervalMs = interval,
            MaxTransactionsPerBlock = fields.TryGetValue("maxTransactionsPerBlock", out JsonElement m)
                ? PositiveInt(m, "consensus.maxTransactionsPerBlock")
                : 10_000,
            ViewTimeoutMs = fields.TryGetValue("viewTimeoutMs", out JsonElement t)
                ? PositiveInt(t, "consensus.viewTimeoutMs")
                : (int)Math.Min(int.MaxValue, 4L * interval),
        };
    }

    private static TxPoolConfig ReadTxPool(JsonElement element)
    {
        Dictionary<string, JsonElement> fields = Fields(element, "txPool", "maxCount", "maxBytes", "maxTxBytes");
        var defaults = new TxPoolConfig();
        int maxTxBytes = fields.TryGetValue("maxTxBytes", out JsonElement t) ? PositiveInt(t, "txPool.maxTxBytes") : defaults.MaxTxBytes;
        long maxBytes = defaults.MaxBytes;
        if (fields.TryGetValue("maxBytes", out JsonElement b))
        {
            ulong value = UInt64(b, "txPool.maxBytes");
            if (value == 0 || value > long.MaxValue)
            {
                throw new ConfigException("txPool.maxBytes", $"{value} is not between 1 and {long.MaxValue}");
            }

            maxBytes = (long)value;
        }

        if (maxBytes < maxTxBytes)
        {
            throw new ConfigException("txPool.maxBytes", $"{maxBytes} is smaller than txPool.maxTxBytes {maxTxBytes}, so no transaction of the largest allowed size could fit");
        }

        return new TxPoolConfig
        {
            MaxCount = fields.TryGetValue("maxCount", out JsonElement c) ? PositiveInt(c, "txPool.maxCount") : defaults.MaxCount,
            MaxBytes = maxBytes,
            MaxTxBytes = maxTxBytes,
        };
    }

    private static Dictionary<Address, GenesisAccount> ReadAlloc(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ConfigException("alloc", $"must be an object mapping 0x-addresses to accounts, not {Kind(element)}");
        }

        var alloc = new Dictionary<Address, GenesisAccount>();
        var spelling = new Dictionary<Address, string>();
        foreach (JsonProperty property in element.EnumerateObject())
        {
            string path = "alloc." + property.Name;
            if (!property.Name.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || !Address.TryParse(property.Name, out Address address))
            {
                throw new ConfigException(path, $"'{property.Name}' is not a 0x-prefixed 20-byte hex address");
            }

            if (spelling.TryGetValue(address, out string? earlier))
            {
                throw new ConfigException(path, $"duplicate address: already given as '{earlier}' (addresses are compared ignoring case)");
            }

            if (GovernanceAddresses.TryGetIndex(address, out _))
            {
                throw new ConfigException(path, $"{address} is reserved for the governance system contracts (0x…1000 to 0x…1005)");
            }

            spelling[address] = property.Name;
            alloc[address] = ReadAccount(property.Value, path);
        }

        return alloc;
    }

    private static GenesisAccount ReadAccount(JsonElement element, string path)
    {
        Dictionary<string, JsonElement> fields = Fields(element, path, "balance", "nonce", "code", "storage");
        UInt256 balance = UInt256Value(Required(fields, "balance", path), path, "balance");
        ulong nonce = fields.TryGetValue("nonce", out JsonElement n) ? UInt64(n, path + ".nonce") : 0;
        if (nonce == ulong.MaxValue)
        {
            throw new ConfigException(path + ".nonce", "2^64 - 1 is not a usable nonce (EIP-2681)");
        }

        byte[] code = fields.TryGetValue("code", out JsonElement c) ? HexBytes(c, path + ".code") : [];
        var storage = new Dictionary<UInt256, UInt256>();
        if (fields.TryGetValue("storage", out JsonElement s))
        {
            if (s.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigException(path + ".storage", $"must be an object mapping slots to values, not {Kind(s)}");
            }

            foreach (JsonProperty slot in s.EnumerateObject())
            {
                string slotPath = $"{path}.storage.{slot.Name}";
                if (!UInt256.TryParse(slot.Name, out UInt256 key))
                {
                    throw new ConfigException(slotPath, $"slot '{slot.Name}' is not a decimal or 0x-hex integer below 2^256");
                }

                if (!storage.TryAdd(key, UInt256Value(slot.Value, slotPath, "value")))
                {
                    throw new ConfigException(slotPath, $"duplicate storage slot {key.ToHexString()}");
                }
            }
        }

        return new GenesisAccount { Balance = balance, Nonce = nonce, Code = code, Storage = storage };
    }

    private static List<MemberConfig> ReadMembers(JsonElement element)
    {
        List<JsonElement> items = Array(element, "members");
        var members = new List<MemberConfig>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var adminOwners = new Dictionary<Address, string>();
        for (int i = 0; i < items.Count; i++)
        {
            string path = $"members[{i}]";
            Dictionary<string, JsonElement> fields = Fields(items[i], path, "name", "caCertificate", "admins");
            string name = Name(Required(fields, "name", path), path + ".name");
            if (!names.Add(name))
            {
                throw new ConfigException(path + ".name", $"duplicate member name '{name}'");
            }

            List<Address> admins = fields.TryGetValue("admins", out JsonElement adminsElement)
                ? ReadAdmins(adminsElement, path + ".admins", adminOwners, name)
                : [];

            string? ca = null;
            if (fields.TryGetValue("caCertificate", out JsonElement caElement))
            {
                ca = String(caElement, path + ".caCertificate");
                if (!System.Security.Cryptography.PemEncoding.TryFind(ca, out var pem) || ca[pem.Label] is not "CERTIFICATE")
                {
                    throw new ConfigException(path + ".caCertificate", "is not a PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)");
                }
            }

            members.Add(new MemberConfig { Name = name, CaCertificate = ca, Admins = admins });
        }

        if (members.Count == 0)
        {
            throw new ConfigException("members", "at least one member organisation is required");
        }

        return members;
    }

    private static List<Address> ReadAdmins(JsonElement element, string path, Dictionary<Address, string> owners, string member)
    {
        List<JsonElement> items = Array(element, path);
        if (items.Count > GovernanceRules.MaxAdminsPerMember)
        {
            throw new ConfigException(path, $"{items.Count} admin accounts; the limit is {GovernanceRules.MaxAdminsPerMember}");
        }

        var admins = new List<Address>();
        for (int i = 0; i < items.Count; i++)
        {
            string itemPath = $"{path}[{i}]";
            Address admin = AddressValue(items[i], itemPath);
            if (admin == Address.Zero)
            {
                throw new ConfigException(itemPath, "the zero address cannot be an admin account");
            }

            if (!owners.TryAdd(admin, member))
            {
                throw new ConfigException(itemPath, $"{admin} is already an admin account of member '{owners[admin]}' (an account acts for one member)");
            }

            admins.Add(admin);
        }

        return admins;
    }

    private static PermissionsConfig ReadPermissions(JsonElement element)
    {
        Dictionary<string, JsonElement> fields = Fields(element, "permissions", "mode", "accounts");
        bool permissioned = false;
        if (fields.TryGetValue("mode", out JsonElement modeElement))
        {
            string mode = String(modeElement, "permissions.mode");
            permissioned = mode switch
            {
                "open" => false,
                "permissioned" => true,
                _ => throw new ConfigException("permissions.mode", $"'{mode}' is not one of open, permissioned"),
            };
        }

        var accounts = new Dictionary<Address, AccountRights>();
        if (fields.TryGetValue("accounts", out JsonElement accountsElement))
        {
            if (accountsElement.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigException("permissions.accounts", $"must be an object mapping 0x-addresses to lists of rights, not {Kind(accountsElement)}");
            }

            foreach (JsonProperty property in accountsElement.EnumerateObject())
            {
                string path = "permissions.accounts." + property.Name;
                if (!property.Name.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || !Address.TryParse(property.Name, out Address account))
                {
                    throw new ConfigException(path, $"'{property.Name}' is not a 0x-prefixed 20-byte hex address");
                }

                if (accounts.ContainsKey(account))
                {
                    throw new ConfigException(path, "duplicate address (addresses are compared ignoring case)");
                }

                AccountRights rights = AccountRights.None;
                List<JsonElement> items = Array(property.Value, path);
                for (int i = 0; i < items.Count; i++)
                {
                    string right = String(items[i], $"{path}[{i}]");
                    AccountRights flag = right switch
                    {
                        "transact" => AccountRights.Transact,
                        "deploy" => AccountRights.Deploy,
                        "admin" => AccountRights.Admin,
                        _ => throw new ConfigException($"{path}[{i}]", $"'{right}' is not one of transact, deploy, admin"),
                    };
                    if ((rights & flag) != 0)
                    {
                        throw new ConfigException($"{path}[{i}]", $"duplicate right '{right}'");
                    }

                    rights |= flag;
                }

                if (rights == AccountRights.None)
                {
                    throw new ConfigException(path, "lists no rights (give at least one of transact, deploy, admin)");
                }

                accounts.Add(account, rights);
            }
        }

        return new PermissionsConfig { Permissioned = permissioned, Accounts = accounts };
    }

    private static Address AddressValue(JsonElement element, string path)
    {
        string text = String(element, path);
        return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && Address.TryParse(text, out Address address)
            ? address
            : throw new ConfigException(path, $"'{text}' is not a 0x-prefixed 20-byte hex address");
    }

    private static List<NodeConfig> ReadNodes(JsonElement element, ICryptoSuite suite, List<MemberConfig> members)
    {
        List<JsonElement> items = Array(element, "nodes");
        var nodes = new List<NodeConfig>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var addresses = new HashSet<Address>();
        for (int i = 0; i < items.Count; i++)
        {
            string path = $"nodes[{i}]";
            Dictionary<string, JsonElement> fields = Fields(items[i], path, "name", "org", "role", "publicKey", "address", "tlsCertificateFingerprint");
            string name = Name(Required(fields, "name", path), path + ".name");
            if (!names.Add(name))
            {
                throw new ConfigException(path + ".name", $"duplicate node name '{name}'");
            }

            string org = String(Required(fields, "org", path), path + ".org");
            if (!members.Exists(m => m.Name == org))
            {
                throw new ConfigException(path + ".org", $"'{org}' is not one of the members ({string.Join(", ", members.Select(m => m.Name))})");
            }

            string roleText = String(Required(fields, "role", path), path + ".role");
            NodeRole role = roleText switch
            {
                "validator" => NodeRole.Validator,
                "observer" => NodeRole.Observer,
                _ => throw new ConfigException(path + ".role", $"'{roleText}' is not one of validator, observer"),
            };

            PublicKey? publicKey = null;
            Address? address = null;
            if (fields.TryGetValue("publicKey", out JsonElement keyElement))
            {
                byte[] keyBytes = HexBytes(keyElement, path + ".publicKey");
                try
                {
                    publicKey = suite.ImportPublicKey(keyBytes);
                }
                catch (ArgumentException)
                {
                    throw new ConfigException(path + ".publicKey", $"is not a 64-byte public key (x || y) on the {suite.Name} suite's curve ({suite.Curve})");
                }

                address = suite.ToAddress(publicKey);
            }

            if (fields.TryGetValue("address", out JsonElement addressElement))
            {
                string text = String(addressElement, path + ".address");
                if (!text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || !Address.TryParse(text, out Address given))
                {
                    throw new ConfigException(path + ".address", $"'{text}' is not a 0x-prefixed 20-byte hex address");
                }

                if (address is Address derived && derived != given)
                {
                    throw new ConfigException(path + ".address", $"{given} does not match the address {derived} of publicKey");
                }

                address = given;
            }

            if (address is not Address nodeAddress)
            {
                throw new ConfigException(path, "missing: give 'publicKey' or 'address'");
            }

            if (!addresses.Add(nodeAddress))
            {
                throw new ConfigException(path + ".address", $"duplicate node address {nodeAddress}");
            }

            ReadOnlyMemory<byte>? fingerprint = null;
            if (fields.TryGetValue("tlsCertificateFingerprint", out JsonElement f))
            {
                string text = String(f, path + ".tlsCertificateFingerprint").Replace(":", string.Empty, StringComparison.Ordinal);
                if (!Hex.TryDecode(text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text : "0x" + text, out byte[] digest, out _) || digest.Length != 32)
                {
                    throw new ConfigException(path + ".tlsCertificateFingerprint", "is not a SHA-256 fingerprint (32 bytes of hex, colons allowed)");
                }

                fingerprint = digest;
            }

            nodes.Add(new NodeConfig { Name = name, Org = org, Role = role, PublicKey = publicKey, Address = nodeAddress, TlsCertificateFingerprint = fingerprint });
        }

        if (!nodes.Exists(n => n.Role == NodeRole.Validator))
        {
            throw new ConfigException("nodes", "at least one node with role 'validator' is required");
        }

        return nodes;
    }

    // The object's fields by name, refusing non-objects, unknown names and duplicates.
    private static Dictionary<string, JsonElement> Fields(JsonElement element, string path, params string[] allowed)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ConfigException(path, $"must be an object, not {Kind(element)}");
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            string child = string.IsNullOrEmpty(path) ? property.Name : $"{path}.{property.Name}";
            if (System.Array.IndexOf(allowed, property.Name) < 0)
            {
                throw new ConfigException(child, $"unknown field (allowed here: {string.Join(", ", allowed)}; names are camelCase)");
            }

            if (!fields.TryAdd(property.Name, property.Value))
            {
                throw new ConfigException(child, "duplicate field");
            }
        }

        return fields;
    }

    private static JsonElement Required(Dictionary<string, JsonElement> fields, string name, string path) =>
        fields.TryGetValue(name, out JsonElement value)
            ? value
            : throw new ConfigException(string.IsNullOrEmpty(path) ? name : $"{path}.{name}", "missing");

    private static List<JsonElement> Array(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new ConfigException(path, $"must be an array, not {Kind(element)}");
        }

        return [.. element.EnumerateArray()];
    }

    private static string String(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : throw new ConfigException(path, $"must be a string, not {Kind(element)}");

    private static string Name(JsonElement element, string path)
    {
        string name = String(element, path);
        if (name.Length is 0 or > 64 || name.Trim().Length != name.Length)
        {
            throw new ConfigException(path, $"'{name}' must be 1 to 64 characters without leading or trailing spaces");
        }

        return name;
    }

    // A decimal or 0x-hex integer, given as a JSON number or string.
    private static bool TryInteger(JsonElement element, out UInt256 value)
    {
        value = UInt256.Zero;
        string? text = element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.GetRawText(),
            _ => null,
        };
        return text is not null && UInt256.TryParse(text, out value);
    }

    private static UInt256 UInt256Value(JsonElement element, string path, string field)
    {
        if (!TryInteger(element, out UInt256 value))
        {
            throw new ConfigException(path, $"'{field}' is not a decimal or 0x-hex integer below 2^256 (got {Describe(element)})");
        }

        return value;
    }

    private static ulong UInt64(JsonElement element, string path)
    {
        if (!TryInteger(element, out UInt256 value) || !value.FitsInUlong)
        {
            throw new ConfigException(path, $"is not a decimal or 0x-hex integer from 0 to 2^64 - 1 (got {Describe(element)})");
        }

        return value.U0;
    }

    private static int PositiveInt(JsonElement element, string path)
    {
        ulong value = UInt64(element, path);
        if (value is 0 or > int.MaxValue)
        {
            throw new ConfigException(path, $"{value} is not between 1 and {int.MaxValue}");
        }

        return (int)value;
    }

    private static byte[] HexBytes(JsonElement element, string path)
    {
        string text = String(element, path);
        if (!text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConfigException(path, "is not 0x-prefixed hex bytes (missing 0x)");
        }

        return Hex.TryDecode(text, out byte[] bytes, out string? error)
            ? bytes
            : throw new ConfigException(path, $"is not 0x-prefixed hex bytes: {error}");
    }

    private static string Describe(JsonElement element)
    {
        string raw = element.GetRawText();
        return raw.Length > 40 ? raw[..40] + "..." : raw;
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => string.Create(CultureInfo.InvariantCulture, $"the number {element.GetRawText()}"),
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
