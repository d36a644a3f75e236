using System.Net;
using Trellis.Core;

namespace Trellis.Node.Rpc;

/// <summary>
/// A peer to dial, as given to <c>admin_addPeer</c>: <c>host:port</c>, or <c>trellis://0x&lt;signing address&gt;@host:port</c>
/// (what <c>admin_nodeInfo</c> reports as <c>enode</c>) to also name the node expected there.
/// </summary>
/// <param name="Endpoint">Where to dial.</param>
/// <param name="Text">The <c>host:port</c> text.</param>
/// <param name="Address">The signing address expected, or null for any admitted node.</param>
public sealed record AdminPeerTarget(EndPoint Endpoint, string Text, Address? Address)
{
    /// <summary>The scheme of the long form.</summary>
    public const string Scheme = "trellis://";

    /// <summary>Reads either form.</summary>
    /// <exception cref="FormatException">Neither form; the message says why.</exception>
    public static AdminPeerTarget Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > Scheme.Length + 43 + PeerAddress.MaxLength)
        {
            throw new FormatException($"peer \"{text[..40]}...\" is {text.Length} characters; expected host:port or {Scheme}0x<address>@host:port");
        }

        Trellis.Core.Address? address = null;
        string hostPort = text;
        if (text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            int at = text.IndexOf('@', StringComparison.Ordinal);
            if (at < 0)
            {
                throw new FormatException($"peer \"{text}\" must be {Scheme}0x<40 hex digits>@host:port");
            }

            string addressText = text[Scheme.Length..at];
            if (!Trellis.Core.Address.TryParse(addressText, out Trellis.Core.Address parsed) || !addressText.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || addressText.Length != 42)
            {
                throw new FormatException($"peer \"{text}\": \"{addressText}\" is not a signing address (0x and 40 hex digits)");
            }

            address = parsed;
            hostPort = text[(at + 1)..];
        }

        return new AdminPeerTarget(PeerAddress.Parse(hostPort), hostPort, address);
    }

    /// <summary>The long form for <paramref name="address"/> at <paramref name="hostPort"/>.</summary>
    public static string Format(Address address, string hostPort) => Scheme + address.ToLowerHex() + "@" + hostPort;
}
