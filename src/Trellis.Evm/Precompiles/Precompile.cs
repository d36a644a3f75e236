namespace Trellis.Evm.Precompiles;

/// <summary>
/// One precompiled contract. Gas comes first so the caller can charge before running; <see cref="TryRun"/> returns
/// false on invalid input (the call then fails and consumes all the gas it was given), true with the output otherwise.
/// </summary>
public abstract class Precompile
{
    /// <summary>The last byte of the contract's address (0x01 .. 0x09).</summary>
    public abstract int AddressByte { get; }

    /// <summary>A short human-readable name, for traces and errors.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Gas the call costs for this input. Never overflows: absurd sizes return <see cref="long.MaxValue"/>.
    /// </summary>
    public abstract long RequiredGas(ReadOnlySpan<byte> input);

    /// <summary>Runs the contract; false when the input is invalid (no exception is thrown for bad input).</summary>
    public abstract bool TryRun(ReadOnlySpan<byte> input, out byte[] output);

    /// <summary>Number of 32-byte words needed to hold <paramref name="length"/> bytes (the gas unit of 0x02..0x04).</summary>
    internal static long WordCount(int length) => ((long)length + 31) / 32;

    /// <inheritdoc />
    public override string ToString() => $"{Name} (0x{AddressByte:x2})";
}
