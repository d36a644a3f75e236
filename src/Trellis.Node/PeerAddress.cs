using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Trellis.Node;

/// <summary>Reads the <c>host:port</c> peer addresses and the listen host of the <c>p2p</c> section.</summary>
public static class PeerAddress
{
    /// <summary>The longest peer address accepted (a DNS name is at most 253 characters).</summary>
    public const int MaxLength = 270;

    /// <summary>
    /// Parses <c>host:port</c>: an IPv4 address or DNS name, or <c>[IPv6 address]</c>, then a port from 1 to 65535.
    /// </summary>
    /// <exception cref="FormatException">The text is not of that form; the message says why.</exception>
    public static EndPoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length is 0 or > MaxLength)
        {
            throw new FormatException($"peer address \"{Shorten(text)}\" must be 1 to {MaxLength} characters of host:port");
        }

        string host;
        string port;
        if (text[0] == '[')
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                throw new FormatException($"peer address \"{text}\" must be [IPv6 address]:port");
            }

            host = text[1..close];
            port = text[(close + 2)..];
            if (!IPAddress.TryParse(host, out IPAddress? v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                throw new FormatException($"peer address \"{text}\": \"{host}\" in brackets is not an IPv6 address");
            }
        }
        else
        {
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon != text.LastIndexOf(':'))
            {
                throw new FormatException($"peer address \"{text}\" must be host:port (write an IPv6 address as [address]:port)");
            }

            host = text[..colon];
            port = text[(colon + 1)..];
        }

        int number = ParsePort(text, port);
        if (IPAddress.TryParse(host, out IPAddress? address))
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && text[0] != '[')
            {
                throw new FormatException($"peer address \"{text}\": write an IPv6 address in brackets");
            }

            return new IPEndPoint(address, number);
        }

        if (Uri.CheckHostName(host) != UriHostNameType.Dns)
        {
            throw new FormatException($"peer address \"{text}\": \"{host}\" is neither an IP address nor a DNS name");
        }

        return new DnsEndPoint(host, number);
    }

    /// <summary>An IP address, or <c>localhost</c> for the IPv4 loopback address.</summary>
    /// <exception cref="FormatException">Anything else.</exception>
    public static IPAddress ParseListenHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        return IPAddress.TryParse(host, out IPAddress? address) && !host.Contains('%', StringComparison.Ordinal)
            ? address
            : throw new FormatException($"listen host \"{Shorten(host)}\" must be an IP address (for example 0.0.0.0, 127.0.0.1 or ::) or localhost");
    }

    private static int ParsePort(string text, string port)
    {
        // Digits only: int.Parse would also take signs, spaces and other digit scripts.
        if (port.Length is 0 or > 5)
        {
            throw new FormatException($"peer address \"{text}\" has port \"{port}\"; it must be a number from 1 to 65535");
        }

        foreach (char c in port)
        {
            if (c is < '0' or > '9')
            {
                throw new FormatException($"peer address \"{text}\" has port \"{port}\"; it must be a number from 1 to 65535");
            }
        }

        int number = int.Parse(port, NumberStyles.None, CultureInfo.InvariantCulture);
        return number is >= 1 and <= 65535
            ? number
            : throw new FormatException($"peer address \"{text}\" has port {number}; it must be from 1 to 65535");
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
