namespace Trellis.Consensus.HotStuff;

/// <summary>
/// Durable storage of a validator's <see cref="SafetyData"/>. <see cref="Save"/> must not return until the data
/// would survive a crash: the replica calls it before a vote leaves, so a restarted validator never votes twice in
/// a view nor forgets its lock.
/// </summary>
public interface ISafetyStorage
{
    /// <summary>The last saved data, or null if nothing was ever saved.</summary>
    /// <exception cref="InvalidDataException">Stored data exists but is corrupt (the validator must not start blind).</exception>
    SafetyData? Load();

    /// <summary>Replaces the stored data durably.</summary>
    void Save(SafetyData data);
}
