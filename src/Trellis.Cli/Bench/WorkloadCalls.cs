using System.Buffers.Binary;
using System.Reflection;
using System.Text;
using Trellis.Core;

namespace Trellis.Cli.Bench;

/// <summary>
/// The contracts and call data of the workloads. The creation code is the solc output checked in under
/// <c>bench/contracts</c> (embedded in this assembly); the ABI encoding of the three calls is written out here.
/// </summary>
internal static class WorkloadCalls
{
    /// <summary>Tokens minted to the deploying sender of the erc20 workload (10^30, ample for any run).</summary>
    public static readonly UInt256 TokenSupply = UInt256.Parse("1000000000000000000000000000000");

    private static readonly byte[] TransferSelector = Selector("transfer(address,uint256)");
    private static readonly byte[] SetSelector = Selector("set(bytes32,bytes32)");
    private static readonly byte[] RecordSelector = Selector("record(bytes32,string)");

    /// <summary>The creation code of the workload's contract (constructor arguments appended), or null for transfer.</summary>
    public static byte[]? CreationCode(BenchWorkload workload) => workload switch
    {
        BenchWorkload.Erc20 => [.. LoadHex("Erc20.creation.hex"), .. Word(TokenSupply)],
        BenchWorkload.Kv => LoadHex("KvStore.creation.hex"),
        BenchWorkload.Evidence => LoadHex("Evidence.creation.hex"),
        _ => null,
    };

    /// <summary><c>transfer(to, amount)</c> of the ERC-20.</summary>
    public static byte[] Erc20Transfer(Address to, UInt256 amount)
    {
        var data = new byte[4 + 64];
        TransferSelector.CopyTo(data, 0);
        to.Bytes.CopyTo(data.AsSpan(4 + 12));
        amount.WriteBigEndian(data.AsSpan(4 + 32, 32));
        return data;
    }

    /// <summary><c>set(key, value)</c> of the KvStore: the key is unique per run and transaction, so each writes a fresh slot.</summary>
    public static byte[] KvSet(ReadOnlySpan<byte> runId, long index)
    {
        var data = new byte[4 + 64];
        SetSelector.CopyTo(data, 0);
        UniqueWord(runId, index, data.AsSpan(4, 32));
        BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(4 + 64 - 8), index + 1);
        return data;
    }

    /// <summary><c>record(hash, metadata)</c> of Evidence: a unique 32-byte hash and fixed-length metadata text.</summary>
    public static byte[] EvidenceRecord(ReadOnlySpan<byte> runId, long index)
    {
        byte[] metadata = Encoding.ASCII.GetBytes($"trellis-bench evidence #{index:D12}");
        int padded = (metadata.Length + 31) / 32 * 32;
        var data = new byte[4 + 32 + 32 + 32 + padded];
        RecordSelector.CopyTo(data, 0);
        UniqueWord(runId, index, data.AsSpan(4, 32));
        data[4 + 32 + 31] = 0x40; // offset of the string: after the two head words
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4 + 64 + 28), metadata.Length);
        metadata.CopyTo(data, 4 + 96);
        return data;
    }

    /// <summary>The first four bytes of the Keccak-256 of a function signature.</summary>
    public static byte[] Selector(string signature) => Keccak256.Hash(Encoding.ASCII.GetBytes(signature)).Bytes[..4].ToArray();

    private static void UniqueWord(ReadOnlySpan<byte> runId, long index, Span<byte> word)
    {
        runId[..24].CopyTo(word);
        BinaryPrimitives.WriteInt64BigEndian(word[24..], index);
    }

    private static byte[] Word(UInt256 value)
    {
        var word = new byte[32];
        value.WriteBigEndian(word);
        return word;
    }

    private static byte[] LoadHex(string name)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Trellis.Cli.Bench.Contracts." + name)
            ?? throw new InvalidOperationException($"contract {name} is not embedded in the trellis assembly");
        using var reader = new StreamReader(stream);
        string text = reader.ReadToEnd().Trim();
        return Hex.Decode(text.StartsWith("0x", StringComparison.Ordinal) ? text : "0x" + text);
    }
}
