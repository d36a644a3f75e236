using System.Text;
using Trellis.Core;

namespace Trellis.Ledger.Governance;

/// <summary>
/// Decodes the ABI-encoded arguments of a governance call (the calldata after the selector) as strictly as solc
/// does: each value in range, each offset and length inside the data. Any violation reverts the call with a reason
/// naming the argument; nothing is indexed outside the data whatever the offsets say.
/// </summary>
internal readonly ref struct AbiReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;

    public AbiReader(ReadOnlySpan<byte> arguments)
    {
        _data = arguments;
    }

    public UInt256 Word(int index, string name) => WordAt((long)index * 32, name);

    public ulong UInt64(int index, string name)
    {
        UInt256 value = Word(index, name);
        return value.FitsInUlong ? value.U0 : throw Revert($"argument {name}: {value} does not fit uint64");
    }

    public byte UInt8(int index, string name)
    {
        UInt256 value = Word(index, name);
        return value.FitsInUlong && value.U0 <= byte.MaxValue ? (byte)value.U0 : throw Revert($"argument {name}: {value} does not fit uint8");
    }

    public bool Bool(int index, string name)
    {
        UInt256 value = Word(index, name);
        return value.IsZero || value == UInt256.One ? !value.IsZero : throw Revert($"argument {name}: {value} is not a bool (0 or 1)");
    }

    public Address Address(int index, string name) => AddressAt((long)index * 32, name);

    public Hash256 Bytes32(int index, string name) => new(Slice((long)index * 32, 32, name));

    public byte[] Bytes(int index, string name, int maxLength)
    {
        (long start, int length) = Dynamic(index, name, 1, maxLength);
        return Slice(start, length, name).ToArray();
    }

    public string String(int index, string name, int maxLength)
    {
        byte[] bytes = Bytes(index, name, maxLength);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Revert($"argument {name} is not valid UTF-8");
        }
    }

    public Address[] AddressArray(int index, string name, int maxCount)
    {
        (long start, int count) = Dynamic(index, name, 32, maxCount);
        var addresses = new Address[count];
        for (int i = 0; i < count; i++)
        {
            addresses[i] = AddressAt(start + (i * 32L), $"{name}[{i}]");
        }

        return addresses;
    }

    // A dynamic value: the head word is an offset to a length word followed by length elements of elementSize bytes.
    private (long Start, int Length) Dynamic(int index, string name, int elementSize, int maxLength)
    {
        UInt256 offset = Word(index, name);
        if (!offset.FitsInUlong || offset.U0 > (ulong)_data.Length - 32 || _data.Length < 32)
        {
            throw Revert($"argument {name}: offset {offset} is outside the {_data.Length} bytes of arguments");
        }

        UInt256 length = WordAt((long)offset.U0, name);
        if (!length.FitsInUlong || length.U0 > (ulong)maxLength)
        {
            throw Revert($"argument {name}: length {length} exceeds the limit {maxLength}");
        }

        long start = (long)offset.U0 + 32;
        long needed = (long)length.U0 * elementSize;
        if (start + needed > _data.Length)
        {
            throw Revert($"argument {name}: {length} elements at offset {offset} run past the {_data.Length} bytes of arguments");
        }

        return (start, (int)length.U0);
    }

    private UInt256 WordAt(long position, string name) => UInt256.FromBigEndian(Slice(position, 32, name));

    private Address AddressAt(long position, string name)
    {
        ReadOnlySpan<byte> word = Slice(position, 32, name);
        return word[..12].IndexOfAnyExcept((byte)0) < 0
            ? new Address(word[12..])
            : throw Revert($"argument {name}: 0x{Convert.ToHexStringLower(word)} is not an address (the high 12 bytes must be zero)");
    }

    private ReadOnlySpan<byte> Slice(long position, int length, string name) =>
        position >= 0 && position + length <= _data.Length
            ? _data.Slice((int)position, length)
            : throw Revert($"argument {name}: calldata too short ({_data.Length} bytes of arguments, need {position + length})");

    private static GovernanceRevertException Revert(string message) => new(message);
}
