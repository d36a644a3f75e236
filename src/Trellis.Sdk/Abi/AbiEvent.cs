using Trellis.Core;

namespace Trellis.Sdk.Abi;

/// <summary>
/// A contract event: its signature, topic 0 (Keccak-256 of the signature, absent for anonymous events), and
/// decoding of logs. Indexed value types are decoded from their topics; indexed bytes, strings, arrays and tuples are
/// stored only as the Keccak-256 hash of their encoding, so they decode to that <see cref="Hash256"/>.
/// </summary>
public sealed class AbiEvent
{
    private readonly AbiType[] _dataTypes;
    private readonly int _indexedCount;

    /// <summary>Creates an event description.</summary>
    public AbiEvent(string name, IReadOnlyList<AbiParameter> inputs, bool anonymous = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(inputs);
        Name = name;
        Inputs = [.. inputs];
        Anonymous = anonymous;
        Signature = AbiSignature.Format(name, Inputs);
        Topic = AbiSignature.Hash(Signature);
        var dataTypes = new List<AbiType>();
        foreach (AbiParameter input in Inputs)
        {
            if (input.Indexed)
            {
                _indexedCount++;
            }
            else
            {
                dataTypes.Add(input.Type);
            }
        }

        int maxIndexed = anonymous ? 4 : 3;
        if (_indexedCount > maxIndexed)
        {
            throw new AbiException($"event {Signature} has {_indexedCount} indexed parameters; at most {maxIndexed} fit in a log's topics");
        }

        _dataTypes = [.. dataTypes];
    }

    /// <summary>The event name.</summary>
    public string Name { get; }

    /// <summary>The parameters in declaration order.</summary>
    public IReadOnlyList<AbiParameter> Inputs { get; }

    /// <summary>True when declared <c>anonymous</c>: no topic 0.</summary>
    public bool Anonymous { get; }

    /// <summary>The canonical signature, e.g. <c>Transfer(address,address,uint256)</c>.</summary>
    public string Signature { get; }

    /// <summary>Keccak-256 of the signature: topic 0 of every log of this (non-anonymous) event.</summary>
    public Hash256 Topic { get; }

    /// <summary>True for a log whose topic 0 is this event's (never for anonymous events).</summary>
    public bool Matches(IReadOnlyList<Hash256> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        return !Anonymous && topics.Count > 0 && topics[0] == Topic;
    }

    /// <summary>Decodes a log's topics and data into one value per parameter, in declaration order.</summary>
    /// <exception cref="AbiException">The topics do not match the event, or the data is malformed.</exception>
    public DecodedEvent DecodeLog(IReadOnlyList<Hash256> topics, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(topics);
        int first = Anonymous ? 0 : 1;
        if (!Anonymous && (topics.Count == 0 || topics[0] != Topic))
        {
            throw new AbiException($"log topic 0 {(topics.Count == 0 ? "(none)" : topics[0].ToString())} is not the topic {Topic} of {Signature}");
        }

        if (topics.Count != first + _indexedCount)
        {
            throw new AbiException($"event {Signature} has {_indexedCount} indexed parameters, so its logs carry {first + _indexedCount} topics; this log has {topics.Count}");
        }

        object?[] dataValues = AbiDecoder.Decode(_dataTypes, data);
        var values = new object?[Inputs.Count];
        int topic = first;
        int dataIndex = 0;
        for (int i = 0; i < values.Length; i++)
        {
            AbiParameter input = Inputs[i];
            if (!input.Indexed)
            {
                values[i] = dataValues[dataIndex++];
            }
            else if (IsHashedWhenIndexed(input.Type))
            {
                values[i] = topics[topic++];
            }
            else
            {
                values[i] = AbiDecoder.DecodeWord(input.Type, topics[topic++].Bytes);
            }
        }

        return new DecodedEvent(this, values);
    }

    /// <summary>
    /// The topic filter for a log query: topic 0 (unless anonymous) followed by one entry per indexed parameter, null
    /// where <paramref name="indexedValues"/> gives null (any value). Hashed types are hashed as the EVM does.
    /// </summary>
    public IReadOnlyList<Hash256?> EncodeTopicFilter(params object?[] indexedValues)
    {
        ArgumentNullException.ThrowIfNull(indexedValues);
        if (indexedValues.Length > _indexedCount)
        {
            throw new AbiException($"event {Signature} has {_indexedCount} indexed parameters, got {indexedValues.Length} filter values");
        }

        var topics = new List<Hash256?>();
        if (!Anonymous)
        {
            topics.Add(Topic);
        }

        int given = 0;
        foreach (AbiParameter input in Inputs)
        {
            if (!input.Indexed || given == indexedValues.Length)
            {
                continue;
            }

            object? value = indexedValues[given++];
            topics.Add(value is null ? null : AbiEncoder.EncodeTopic(input.Type, value));
        }

        return topics;
    }

    /// <summary>The signature.</summary>
    public override string ToString() => Signature;

    private static bool IsHashedWhenIndexed(AbiType type) =>
        type.Kind is AbiTypeKind.Bytes or AbiTypeKind.String or AbiTypeKind.Array or AbiTypeKind.FixedArray or AbiTypeKind.Tuple;
}
