using Trellis.Core;
using Trellis.Core.Rlp;

namespace Trellis.Ledger.Blocks;

/// <summary>An EVM log: the emitting address, up to four topics and data. Encoded as rlp([address, [topics], data]).</summary>
public sealed class Log
{
    private readonly Hash256[] _topics;
    private readonly byte[] _data;

    /// <summary>Creates a log; topics and data are copied.</summary>
    public Log(Address address, IEnumerable<Hash256> topics, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(topics);
        Address = address;
        _topics = [.. topics];
        _data = data.ToArray();
    }

    private Log(Address address, Hash256[] topics, byte[] data)
    {
        Address = address;
        _topics = topics;
        _data = data;
    }

    /// <summary>The contract that emitted the log.</summary>
    public Address Address { get; }

    /// <summary>The topics (LOG0..LOG4).</summary>
    public IReadOnlyList<Hash256> Topics => _topics;

    /// <summary>The data.</summary>
    public ReadOnlyMemory<byte> Data => _data;

    /// <summary>Appends rlp([address, [topics], data]).</summary>
    public void WriteTo(RlpWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int list = writer.StartList();
        writer.WriteBytes(Address.Bytes);
        int topics = writer.StartList();
        foreach (Hash256 topic in _topics)
        {
            writer.WriteBytes(topic.Bytes);
        }

        writer.EndList(topics);
        writer.WriteBytes(_data);
        writer.EndList(list);
    }

    /// <summary>Reads one log.</summary>
    /// <exception cref="RlpException">Malformed log.</exception>
    public static Log ReadFrom(ref RlpReader reader)
    {
        RlpReader list = reader.ReadList();
        ReadOnlySpan<byte> address = list.ReadBytes();
        if (address.Length != Address.Length)
        {
            throw new RlpException($"log address is {address.Length} bytes; an address is exactly 20");
        }

        RlpReader topicReader = list.ReadList();
        var topics = new List<Hash256>();
        while (topicReader.HasMore)
        {
            ReadOnlySpan<byte> topic = topicReader.ReadBytes();
            if (topic.Length != Hash256.Length)
            {
                throw new RlpException($"log topic {topics.Count} is {topic.Length} bytes; a topic is exactly 32");
            }

            topics.Add(new Hash256(topic));
        }

        byte[] data = list.ReadBytes().ToArray();
        list.EnsureEnd();
        return new Log(new Address(address), [.. topics], data);
    }
}
