using System.Globalization;
using Trellis.Core;

namespace Trellis.Sdk.Abi;

/// <summary>Decoded revert data: a message, a panic code, a custom error with its arguments, or raw bytes.</summary>
public sealed class RevertReason
{
    private RevertReason(RevertReasonKind kind, byte[] data, string? message, UInt256? panicCode, AbiError? error, object?[] arguments)
    {
        Kind = kind;
        Data = data;
        Message = message;
        PanicCode = panicCode;
        Error = error;
        Arguments = arguments;
    }

    /// <summary>What the data was.</summary>
    public RevertReasonKind Kind { get; }

    /// <summary>The raw revert data.</summary>
    public IReadOnlyList<byte> Data { get; }

    /// <summary>The message of <c>Error(string)</c>; null otherwise.</summary>
    public string? Message { get; }

    /// <summary>The code of <c>Panic(uint256)</c>; null otherwise.</summary>
    public UInt256? PanicCode { get; }

    /// <summary>The matched error (built-in or custom); null for empty or unknown data.</summary>
    public AbiError? Error { get; }

    /// <summary>The decoded error arguments (empty when none or unknown).</summary>
    public IReadOnlyList<object?> Arguments { get; }

    /// <summary>
    /// Decodes revert data: <c>Error(string)</c>, <c>Panic(uint256)</c>, then the custom errors given (from the
    /// contract's ABI). Never throws on malformed data: it comes back as <see cref="RevertReasonKind.Unknown"/>.
    /// </summary>
    public static RevertReason Decode(ReadOnlySpan<byte> data, IReadOnlyList<AbiError>? customErrors = null)
    {
        byte[] bytes = data.ToArray();
        if (bytes.Length == 0)
        {
            return new RevertReason(RevertReasonKind.Empty, bytes, null, null, null, []);
        }

        try
        {
            if (AbiError.Error.Matches(data))
            {
                object?[] args = AbiError.Error.Decode(data);
                return new RevertReason(RevertReasonKind.Error, bytes, (string)args[0]!, null, AbiError.Error, args);
            }

            if (AbiError.Panic.Matches(data))
            {
                object?[] args = AbiError.Panic.Decode(data);
                return new RevertReason(RevertReasonKind.Panic, bytes, null, (UInt256)args[0]!, AbiError.Panic, args);
            }

            if (customErrors is not null)
            {
                foreach (AbiError error in customErrors)
                {
                    if (error.Matches(data))
                    {
                        return new RevertReason(RevertReasonKind.Custom, bytes, null, null, error, error.Decode(data));
                    }
                }
            }
        }
        catch (AbiException)
        {
            // Malformed data under a known selector is reported as unknown, with the raw bytes kept.
        }

        return new RevertReason(RevertReasonKind.Unknown, bytes, null, null, null, []);
    }

    /// <summary>The meaning of a Solidity panic code (Solidity documentation, "Panic via assert and Error via require").</summary>
    public static string DescribePanic(UInt256 code) => (ulong)code switch
    {
        _ when code > new UInt256(0xff) => "unknown panic code",
        0x00 => "generic compiler panic",
        0x01 => "assertion failed",
        0x11 => "arithmetic overflow or underflow",
        0x12 => "division or modulo by zero",
        0x21 => "invalid enum value",
        0x22 => "incorrectly encoded storage byte array",
        0x31 => "pop() on an empty array",
        0x32 => "array index out of bounds",
        0x41 => "too much memory allocated",
        0x51 => "call to a zero-initialized internal function",
        _ => "unknown panic code",
    };

    /// <summary>A one-line description, e.g. <c>Error("insufficient balance")</c> or <c>Panic(0x11: arithmetic overflow or underflow)</c>.</summary>
    public override string ToString() => Kind switch
    {
        RevertReasonKind.Empty => "no revert data",
        RevertReasonKind.Error => $"Error(\"{Message}\")",
        RevertReasonKind.Panic => $"Panic(0x{PanicCode!.Value.ToString("x", CultureInfo.InvariantCulture).PadLeft(2, '0')}: {DescribePanic(PanicCode.Value)})",
        RevertReasonKind.Custom => $"{Error!.Name}({string.Join(", ", FormatArguments())})",
        _ => "unknown revert data " + Hex.Encode([.. Data]),
    };

    private IEnumerable<string> FormatArguments()
    {
        foreach (object? argument in Arguments)
        {
            yield return argument switch
            {
                null => "null",
                byte[] bytes => Hex.Encode(bytes),
                string text => $"\"{text}\"",
                _ => Convert.ToString(argument, CultureInfo.InvariantCulture) ?? string.Empty,
            };
        }
    }
}
