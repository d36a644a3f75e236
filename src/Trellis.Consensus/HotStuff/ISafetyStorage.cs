namespace Trellis.Consensus.HotStuff;

/// <summary>
/// Durable storage of a validator's <see cref="SafetyData"/>. <see cref="Save"/> must not return until the data
/// would survive a crash: the replica calls it before a vote leaves, so a restarted validator never votes twice in
/// a view nor forgets its lock. Blocks on the path to a voted block are saved too: a QC can only be extended by
/// someone holding its block, so the voters must not lose it in a crash.
/// </summary>
public interface ISafetyStorage
{
    /// <summary>The last saved data, or null if nothing was ever saved.</summary>
    /// <exception cref="InvalidDataException">Stored data exists but is corrupt (the validator must not start blind).</exception>
    SafetyData? Load();

    /// <summary>Replaces the stored data durably.</summary>
    void Save(SafetyData data);

    /// <summary>Saves a block durably (before any vote that depends on it leaves).</summary>
    void SaveBlock(HotStuffBlock block);

    /// <summary>Every block saved so far, in the order saved.</summary>
    /// <exception cref="InvalidDataException">A saved block is damaged other than by a torn final write.</exception>
    IReadOnlyList<HotStuffBlock> LoadBlocks();
}
