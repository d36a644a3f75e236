using System.Buffers.Binary;
using Trellis.Core;

namespace Trellis.Ledger.Storage;

/// <summary>
/// The block store's key layout in the shared key-value store. The state trie and code live there under their
/// 32-byte hashes, so every block-store key starts with an ASCII tag and none is 32 bytes long. Heights and
/// indexes are big-endian so that key order is numeric order and a range scan walks blocks in order.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term><c>"Lhead"</c></term><description>rlp([height, hash]) of the head block, written last in each batch</description></item>
/// <item><term><c>"Lchain"</c></term><description>rlp([chainId, genesisHash])</description></item>
/// <item><term><c>n</c> height(8)</term><description>the block hash at that height</description></item>
/// <item><term><c>h</c> hash(32)</term><description>the header encoding (with certificate)</description></item>
/// <item><term><c>b</c> hash(32)</term><description>the body: the RLP list of transactions, as in a block</description></item>
/// <item><term><c>r</c> hash(32)</term><description>the RLP list of receipt encodings</description></item>
/// <item><term><c>t</c> txHash(32)</term><description>rlp([height, index, sender])</description></item>
/// <item><term><c>a</c> address(20) height(8) logIndex(4)</term><description>txIndex(4) logInTx(4): logs by address</description></item>
/// <item><term><c>T</c> position(1) topic(32) height(8) logIndex(4)</term><description>txIndex(4) logInTx(4): logs by topic</description></item>
/// </list>
/// </remarks>
internal static class BlockStoreKeys
{
    public const byte HeightTag = (byte)'n';
    public const byte HeaderTag = (byte)'h';
    public const byte BodyTag = (byte)'b';
    public const byte ReceiptsTag = (byte)'r';
    public const byte TransactionTag = (byte)'t';
    public const byte AddressLogTag = (byte)'a';
    public const byte TopicLogTag = (byte)'T';

    public static ReadOnlySpan<byte> Head => "Lhead"u8;

    public static ReadOnlySpan<byte> Chain => "Lchain"u8;

    public static byte[] Height(ulong height)
    {
        var key = new byte[9];
        key[0] = HeightTag;
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(1), height);
        return key;
    }

    public static byte[] Header(in Hash256 hash) => Tagged(HeaderTag, hash);

    public static byte[] Body(in Hash256 hash) => Tagged(BodyTag, hash);

    public static byte[] Receipts(in Hash256 hash) => Tagged(ReceiptsTag, hash);

    public static byte[] Transaction(in Hash256 hash) => Tagged(TransactionTag, hash);

    /// <summary>The address-log key of one log.</summary>
    public static byte[] AddressLog(in Address address, ulong height, uint logIndex)
    {
        var key = new byte[1 + Address.Length + 8 + 4];
        key[0] = AddressLogTag;
        address.Bytes.CopyTo(key.AsSpan(1));
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(1 + Address.Length), height);
        BinaryPrimitives.WriteUInt32BigEndian(key.AsSpan(1 + Address.Length + 8), logIndex);
        return key;
    }

    /// <summary>The first address-log key at <paramref name="height"/> (a scan bound).</summary>
    public static byte[] AddressLogStart(in Address address, ulong height) => AddressLog(address, height, 0)[..^4];

    public static byte[] TopicLog(int position, in Hash256 topic, ulong height, uint logIndex)
    {
        var key = new byte[2 + Hash256.Length + 8 + 4];
        key[0] = TopicLogTag;
        key[1] = (byte)position;
        topic.Bytes.CopyTo(key.AsSpan(2));
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(2 + Hash256.Length), height);
        BinaryPrimitives.WriteUInt32BigEndian(key.AsSpan(2 + Hash256.Length + 8), logIndex);
        return key;
    }

    /// <summary>The first topic-log key at <paramref name="height"/> (a scan bound).</summary>
    public static byte[] TopicLogStart(int position, in Hash256 topic, ulong height) => TopicLog(position, topic, height, 0)[..^4];

    /// <summary>The value of a log index entry: txIndex(4) logInTx(4).</summary>
    public static byte[] LogPosition(int transactionIndex, int logInTransaction)
    {
        var value = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(value, transactionIndex);
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(4), logInTransaction);
        return value;
    }

    private static byte[] Tagged(byte tag, in Hash256 hash)
    {
        var key = new byte[1 + Hash256.Length];
        key[0] = tag;
        hash.Bytes.CopyTo(key.AsSpan(1));
        return key;
    }
}
