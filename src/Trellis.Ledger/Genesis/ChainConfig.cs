using System.Text;
using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Ledger.Genesis;

/// <summary>
/// A chain's genesis and configuration, loaded from one JSON file (docs/configuration.md). Loading is strict:
/// unknown or duplicate fields, wrong types and out-of-range values are rejected with a <see cref="ConfigException"/>
/// naming the JSON path and the reason.
/// </summary>
public sealed class ChainConfig
{
    /// <summary>The largest configuration file accepted: 16 MiB.</summary>
    public const long MaxFileBytes = 16L * 1024 * 1024;

    /// <summary>The chain id every signature commits to (greater than 0).</summary>
    public required ulong ChainId { get; init; }

    /// <summary>The crypto suite, chosen once at genesis.</summary>
    public required ICryptoSuite Suite { get; init; }

    /// <summary>The consensus engine and its timing.</summary>
    public required ConsensusConfig Consensus { get; init; }

    /// <summary>The most gas a block may use.</summary>
    public required ulong BlockGasLimit { get; init; }

    /// <summary>Transaction pool bounds.</summary>
    public TxPoolConfig TxPool { get; init; } = new();

    /// <summary>The genesis accounts.</summary>
    public IReadOnlyDictionary<Address, GenesisAccount> Alloc { get; init; } = new Dictionary<Address, GenesisAccount>();

    /// <summary>The founding member organisations.</summary>
    public required IReadOnlyList<MemberConfig> Members { get; init; }

    /// <summary>The nodes admitted at genesis.</summary>
    public required IReadOnlyList<NodeConfig> Nodes { get; init; }

    /// <summary>Whether the chain starts permissioned, and the account rights it starts with (default: open, none).</summary>
    public PermissionsConfig Permissions { get; init; } = new();

    /// <summary>The genesis block's timestamp (Unix seconds; default 0).</summary>
    public ulong Timestamp { get; init; }

    /// <summary>Reads and validates a configuration file.</summary>
    /// <exception cref="ConfigException">The file is missing, larger than 16 MiB, not JSON, or invalid.</exception>
    public static ChainConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new ConfigException(string.Empty, $"configuration file '{path}' does not exist");
            }

            if (info.Length > MaxFileBytes)
            {
                throw new ConfigException(string.Empty, $"configuration file '{path}' is {info.Length} bytes; the limit is {MaxFileBytes} (16 MiB)");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new ConfigException(string.Empty, $"configuration file '{path}' cannot be read: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ConfigException(string.Empty, $"configuration file '{path}' cannot be read: {e.Message}", e);
        }

        return Parse(bytes);
    }

    /// <summary>Parses and validates configuration JSON (UTF-8).</summary>
    /// <exception cref="ConfigException">Larger than 16 MiB, not JSON, or invalid.</exception>
    public static ChainConfig Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Length > MaxFileBytes)
        {
            throw new ConfigException(string.Empty, $"configuration is {utf8Json.Length} bytes; the limit is {MaxFileBytes} (16 MiB)");
        }

        return ChainConfigReader.Read(Utf8Text.WithoutByteOrderMark(utf8Json));
    }

    /// <summary>Parses and validates configuration JSON.</summary>
    /// <exception cref="ConfigException">Not JSON, or invalid.</exception>
    public static ChainConfig Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Writes this configuration as JSON that <see cref="Parse(string)"/> reads back to the same values.</summary>
    public string ToJson() => ChainConfigWriter.Write(this);
}
