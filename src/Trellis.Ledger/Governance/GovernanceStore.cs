using System.Buffers.Binary;
using Trellis.Core;
using Trellis.Evm;
using Trellis.State;

namespace Trellis.Ledger.Governance;

/// <summary>
/// Reads and writes the governance contracts' storage: the slot layout, strings and byte strings, and (for calls)
/// the gas meter, the static-call rule and the logs. The C# reader uses it without a meter.
/// </summary>
/// <remarks>
/// A slot is 32 bytes: byte 0 a table number, bytes 4..7 a word index (big-endian), bytes 12..31 a 20-byte key
/// (an address, or an id or index right-aligned). Each (contract, table) uses one key kind, so slots never collide,
/// and each is readable with eth_getStorageAt (docs/governance.md lists the tables).
/// </remarks>
internal sealed partial class GovernanceStore
{
    private readonly IWorldState _state;
    private readonly long _gasLimit;
    private readonly bool _metered;
    private readonly bool _readOnly;
    private readonly List<LogEntry> _logs = [];
    private long _gasUsed;

    private GovernanceStore(IWorldState state, long gasLimit, bool metered, bool readOnly)
    {
        _state = state;
        _gasLimit = gasLimit;
        _metered = metered;
        _readOnly = readOnly;
    }

    /// <summary>A store for one metered call with <paramref name="gas"/>; <paramref name="isStatic"/> refuses writes.</summary>
    public static GovernanceStore ForCall(IWorldState state, long gas, bool isStatic) => new(state, gas, metered: true, isStatic);

    /// <summary>An unmetered store (genesis seeding, the C# reader).</summary>
    public static GovernanceStore Unmetered(IWorldState state) => new(state, long.MaxValue, metered: false, readOnly: false);

    public IWorldState State => _state;

    public long GasUsed => _gasUsed;

    public IReadOnlyList<LogEntry> Logs => _logs;

    public void Charge(long gas)
    {
        if (!_metered)
        {
            return;
        }

        _gasUsed += gas;
        if (_gasUsed > _gasLimit)
        {
            throw new GovernanceOutOfGasException();
        }
    }

    public static UInt256 Slot(byte table, uint word, in Address key)
    {
        Span<byte> bytes = stackalloc byte[32];
        bytes.Clear();
        bytes[0] = table;
        BinaryPrimitives.WriteUInt32BigEndian(bytes[4..], word);
        key.Bytes.CopyTo(bytes[12..]);
        return UInt256.FromBigEndian(bytes);
    }

    public static Address Key(ulong id)
    {
        Span<byte> bytes = stackalloc byte[Address.Length];
        bytes.Clear();
        BinaryPrimitives.WriteUInt64BigEndian(bytes[12..], id);
        return new Address(bytes);
    }

    public static Address AsAddress(in UInt256 word)
    {
        Span<byte> bytes = stackalloc byte[32];
        word.WriteBigEndian(bytes);
        return new Address(bytes[12..]);
    }

    public static UInt256 FromAddress(in Address address)
    {
        Span<byte> bytes = stackalloc byte[32];
        bytes.Clear();
        address.Bytes.CopyTo(bytes[12..]);
        return UInt256.FromBigEndian(bytes);
    }

    public UInt256 Read(in Address account, byte table, uint word, in Address key)
    {
        Charge(GovernanceGas.Read);
        return _state.GetStorage(account, Slot(table, word, key));
    }

    public ulong ReadUInt64(in Address account, byte table, uint word, in Address key)
    {
        UInt256 value = Read(account, table, word, key);
        return value.FitsInUlong ? value.U0 : ulong.MaxValue;
    }

    public void Write(in Address account, byte table, uint word, in Address key, in UInt256 value)
    {
        if (_readOnly)
        {
            throw new GovernanceRevertException("state-changing governance call in a static context (use a transaction, not STATICCALL)");
        }

        UInt256 slot = Slot(table, word, key);
        UInt256 current = _state.GetStorage(account, slot);
        Charge(current == value ? GovernanceGas.WriteUnchanged : current.IsZero ? GovernanceGas.WriteNew : GovernanceGas.WriteUpdate);
        if (current != value)
        {
            _state.SetStorage(account, slot, value);
        }
    }

    /// <summary>A byte string: word 0 holds the length, words 1.. the bytes, the last zero-padded.</summary>
    public byte[] ReadBytes(in Address account, byte table, in Address key)
    {
        ulong length = ReadUInt64(account, table, 0, key);
        if (length > GovernanceRules.MaxPayloadBytes)
        {
            return [];
        }

        var bytes = new byte[(int)length];
        Span<byte> word = stackalloc byte[32];
        for (int offset = 0, index = 1; offset < bytes.Length; offset += 32, index++)
        {
            Read(account, table, (uint)index, key).WriteBigEndian(word);
            word[..Math.Min(32, bytes.Length - offset)].CopyTo(bytes.AsSpan(offset));
        }

        return bytes;
    }

    public string ReadString(in Address account, byte table, in Address key) =>
        System.Text.Encoding.UTF8.GetString(ReadBytes(account, table, key));

    public void WriteBytes(in Address account, byte table, in Address key, ReadOnlySpan<byte> bytes)
    {
        ulong oldLength = ReadUInt64(account, table, 0, key);
        int oldWords = oldLength > GovernanceRules.MaxPayloadBytes ? 0 : (int)((oldLength + 31) / 32);
        int newWords = (bytes.Length + 31) / 32;
        Write(account, table, 0, key, new UInt256((ulong)bytes.Length));
        Span<byte> word = stackalloc byte[32];
        for (int i = 0; i < newWords; i++)
        {
            word.Clear();
            ReadOnlySpan<byte> chunk = bytes[(i * 32)..Math.Min(bytes.Length, (i * 32) + 32)];
            chunk.CopyTo(word);
            Write(account, table, (uint)(i + 1), key, UInt256.FromBigEndian(word));
        }

        // Clear what a longer earlier value left behind, so the state holds exactly the current value.
        for (int i = newWords; i < oldWords; i++)
        {
            Write(account, table, (uint)(i + 1), key, UInt256.Zero);
        }
    }

    public void WriteString(in Address account, byte table, in Address key, string text) =>
        WriteBytes(account, table, key, System.Text.Encoding.UTF8.GetBytes(text));

    public void Emit(in Address account, Hash256[] topics, byte[] data)
    {
        Charge(GovernanceGas.Log + (GovernanceGas.LogTopic * topics.Length) + (GovernanceGas.LogByte * data.Length));
        _logs.Add(new LogEntry(account, topics, data));
    }
}
