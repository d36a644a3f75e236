using System.Diagnostics.CodeAnalysis;
using Trellis.Core;

namespace Trellis.Network.Certificates;

/// <summary>A revocation set held in memory (tests, and a stand-in until governance reads it from ledger state).</summary>
public sealed class InMemoryRevocationSet : IRevocationSet
{
    // Guards both dictionaries: revocations arrive from governance while handshakes read.
    private readonly Lock _gate = new();
    private readonly Dictionary<Hash256, string> _byFingerprint = [];
    private readonly Dictionary<(Hash256 Issuer, string Serial), string> _bySerial = [];

    /// <summary>Revokes the certificate whose DER has SHA-256 <paramref name="fingerprint"/>.</summary>
    public void RevokeFingerprint(Hash256 fingerprint, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        lock (_gate)
        {
            _byFingerprint[fingerprint] = reason;
        }
    }

    /// <summary>Revokes the certificate with <paramref name="serialNumber"/> (hex) issued by <paramref name="issuerFingerprint"/>.</summary>
    /// <exception cref="ArgumentException">The serial number is not hex.</exception>
    public void RevokeSerial(Hash256 issuerFingerprint, string serialNumber, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        string serial = NormaliseSerial(serialNumber);
        lock (_gate)
        {
            _bySerial[(issuerFingerprint, serial)] = reason;
        }
    }

    /// <inheritdoc />
    public bool IsRevoked(Hash256 fingerprint, Hash256 issuerFingerprint, string serialNumber, [NotNullWhen(true)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(serialNumber);
        lock (_gate)
        {
            if (_byFingerprint.TryGetValue(fingerprint, out reason))
            {
                return true;
            }

            return _bySerial.TryGetValue((issuerFingerprint, serialNumber.ToLowerInvariant()), out reason);
        }
    }

    private static string NormaliseSerial(string serialNumber)
    {
        ArgumentNullException.ThrowIfNull(serialNumber);
        string serial = serialNumber.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? serialNumber[2..] : serialNumber;
        if (serial.Length == 0 || !serial.All(Uri.IsHexDigit))
        {
            throw new ArgumentException($"serial number \"{serialNumber}\" is not hex", nameof(serialNumber));
        }

        return serial.ToLowerInvariant();
    }
}
