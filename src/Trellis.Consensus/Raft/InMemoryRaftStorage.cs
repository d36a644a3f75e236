namespace Trellis.Consensus.Raft;

/// <summary>Raft state in memory: survives a simulated crash (the object outlives the replica), not a real one.</summary>
public sealed class InMemoryRaftStorage : IRaftStorage
{
    private readonly List<RaftEntry> _entries = [];
    private long _term;
    private int _votedFor = -1;
    private long _snapshotIndex;
    private long _snapshotTerm;

    /// <summary>How many entries are held (uncommitted or not yet compacted).</summary>
    public int EntryCount => _entries.Count;

    /// <inheritdoc/>
    public RaftPersistentState Load() => new(_term, _votedFor, _snapshotIndex, _snapshotTerm, [.. _entries]);

    /// <inheritdoc/>
    public void SaveTermAndVote(long term, int votedFor)
    {
        _term = term;
        _votedFor = votedFor;
    }

    /// <inheritdoc/>
    public void Append(IReadOnlyList<RaftEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        long next = (_entries.Count > 0 ? _entries[^1].Index : _snapshotIndex) + 1;
        foreach (var entry in entries)
        {
            if (entry.Index != next)
            {
                throw new ArgumentException($"raft storage: appended entry index {entry.Index} does not follow the last stored index {next - 1}", nameof(entries));
            }

            // A copy: the caller's buffer may be reused or pooled after the call.
            _entries.Add(entry with { Payload = entry.Payload.ToArray() });
            next++;
        }
    }

    /// <inheritdoc/>
    public void TruncateFrom(long index)
    {
        int keep = (int)Math.Clamp(index - _snapshotIndex - 1, 0, _entries.Count);
        _entries.RemoveRange(keep, _entries.Count - keep);
    }

    /// <inheritdoc/>
    public void Compact(long index, long term)
    {
        if (index <= _snapshotIndex)
        {
            return;
        }

        int drop = (int)Math.Clamp(index - _snapshotIndex, 0, _entries.Count);
        _entries.RemoveRange(0, drop);
        if (_entries.Count > 0 && _entries[0].Index != index + 1)
        {
            _entries.Clear();
        }

        _snapshotIndex = index;
        _snapshotTerm = term;
    }
}
