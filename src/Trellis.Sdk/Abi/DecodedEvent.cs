namespace Trellis.Sdk.Abi;

/// <summary>A decoded log: the event and one value per parameter, in declaration order.</summary>
public sealed class DecodedEvent
{
    internal DecodedEvent(AbiEvent abiEvent, object?[] values)
    {
        Event = abiEvent;
        Values = values;
    }

    /// <summary>The event that matched.</summary>
    public AbiEvent Event { get; }

    /// <summary>The values, in the order of <see cref="AbiEvent.Inputs"/>.</summary>
    public IReadOnlyList<object?> Values { get; }

    /// <summary>The value of the parameter called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No parameter has that name.</exception>
    public object? this[string name]
    {
        get
        {
            for (int i = 0; i < Event.Inputs.Count; i++)
            {
                if (Event.Inputs[i].Name == name)
                {
                    return Values[i];
                }
            }

            throw new KeyNotFoundException($"event {Event.Signature} has no parameter named \"{name}\"");
        }
    }

    /// <summary>The value of the parameter called <paramref name="name"/>, as <typeparamref name="T"/>.</summary>
    public T Get<T>(string name) => this[name] is T value
        ? value
        : throw new InvalidCastException($"parameter \"{name}\" of {Event.Signature} is {this[name]?.GetType().Name ?? "null"}, not {typeof(T).Name}");

    /// <summary>The event name and values.</summary>
    public override string ToString() => $"{Event.Name}({string.Join(", ", Values)})";
}
