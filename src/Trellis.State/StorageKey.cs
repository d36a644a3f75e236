using Trellis.Core;

namespace Trellis.State;

/// <summary>An (address, slot) pair for the warm-slot set and transient storage.</summary>
internal readonly struct StorageKey(Address address, UInt256 slot) : IEquatable<StorageKey>
{
    public readonly Address Address = address;
    public readonly UInt256 Slot = slot;

    public bool Equals(StorageKey other) => Address == other.Address && Slot == other.Slot;

    public override bool Equals(object? obj) => obj is StorageKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Address, Slot);
}
