namespace Trellis.State.Storage;

/// <summary>
/// A write batch that buffers puts and deletes in order and hands them to its store in one call on
/// <see cref="Commit"/>; the store applies them atomically. Shared by every provider.
/// </summary>
internal sealed class BufferedWriteBatch(Action<List<(byte[] Key, byte[]? Value)>> apply) : IWriteBatch
{
    private readonly List<(byte[] Key, byte[]? Value)> _operations = [];
    private bool _done;

    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        EnsureOpen();
        _operations.Add((key.ToArray(), value.ToArray()));
    }

    public void Delete(ReadOnlySpan<byte> key)
    {
        EnsureOpen();
        _operations.Add((key.ToArray(), null));
    }

    public void Commit()
    {
        EnsureOpen();
        _done = true;
        apply(_operations);
        _operations.Clear();
    }

    public void Dispose()
    {
        _done = true;
        _operations.Clear();
    }

    private void EnsureOpen()
    {
        if (_done)
        {
            throw new InvalidOperationException("write batch was already committed or disposed; start a new batch with StartBatch()");
        }
    }
}
