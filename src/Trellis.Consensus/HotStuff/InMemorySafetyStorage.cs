namespace Trellis.Consensus.HotStuff;

/// <summary>
/// Safety storage held in memory. The simulator keeps one per validator outside the replica, so a simulated crash
/// and restart (a new replica over the same storage) behaves like a restart over a disk.
/// </summary>
public sealed class InMemorySafetyStorage : ISafetyStorage
{
    private readonly List<HotStuffBlock> _blocks = [];
    private SafetyData? _data;

    /// <summary>Number of saves so far (tests use it to see that a vote was preceded by a save).</summary>
    public int SaveCount { get; private set; }

    /// <inheritdoc/>
    public SafetyData? Load() => _data;

    /// <inheritdoc/>
    public void Save(SafetyData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
        SaveCount++;
    }

    /// <inheritdoc/>
    public void SaveBlock(HotStuffBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        _blocks.Add(block);
    }

    /// <inheritdoc/>
    public IReadOnlyList<HotStuffBlock> LoadBlocks() => [.. _blocks];
}
