using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Trellis.Core;
using Trellis.Network.Admission;
using Trellis.Network.Peers;
using Trellis.Node.JsonRpc;
using Trellis.Node.P2p;
using Trellis.Node.Rpc;
using LedgerNodeConfig = Trellis.Ledger.Genesis.NodeConfig;

namespace Trellis.Node;

/// <summary>
/// The node's side of the <c>admin_</c> methods: its identity, its peer connections (list, dial, disconnect and keep
/// out) and its log level. Peers removed by an operator are refused on every later connection, in either direction,
/// until an <c>admin_addPeer</c> names their signing address; the list lives in memory and ends with the process.
/// </summary>
internal sealed partial class NodeAdminOperations : IAdminOperations
{
    private const string RemovedReason = "removed by an operator (admin_removePeer)";

    private readonly LedgerNodeConfig _self;
    private readonly ulong _chainId;
    private readonly string _consensus;
    private readonly Hash256? _fingerprint;
    private readonly PeerNetwork? _network;
    private readonly LogLevelSwitch _logLevels;
    private readonly ILogger _logger;

    // Guards _removed: signing addresses refused until an admin_addPeer names them again.
    private readonly Lock _gate = new();
    private readonly HashSet<Address> _removed = [];

    public NodeAdminOperations(LedgerNodeConfig self, ulong chainId, string consensus, Hash256? fingerprint, PeerNetwork? network, LogLevelSwitch logLevels, ILogger logger)
    {
        _self = self;
        _chainId = chainId;
        _consensus = consensus;
        _fingerprint = fingerprint;
        _network = network;
        _logLevels = logLevels;
        _logger = logger;
        if (network is not null)
        {
            // Refused at the handshake; the connect event below catches a connection admitted just before a removal.
            if (network.Admission is GovernanceAdmission admission)
            {
                admission.RemovedByOperator = IsRemoved;
            }

            network.Host.PeerConnected += OnPeerConnected;
        }
    }

    /// <summary>
    /// The admin access the configuration asks for: disabled, or enabled with the key read from <c>admin.apiKeyFile</c>.
    /// </summary>
    /// <exception cref="NodeStartException">The key file cannot be read or does not hold a key.</exception>
    public static AdminAccess LoadAccess(NodeConfig config, ILogger logger)
    {
        if (config.Admin is not { Enabled: true } admin)
        {
            return AdminAccess.Disabled;
        }

        string path = admin.ApiKeyFile ?? throw new NodeStartException("admin.enabled is true but admin.apiKeyFile is not set");
        byte[] key;
        try
        {
            key = AdminApiKey.Load(path);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new NodeStartException($"admin.apiKeyFile: {e.Message}", e);
        }

        try
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
            {
                LogKeyReadableByOthers(logger, path);
            }

            if (admin.AllowRemote)
            {
                LogRemoteAdmin(logger);
            }

            return AdminAccess.Enable(key, admin.AllowRemote);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
        }
    }

    public AdminNodeInfo GetNodeInfo()
    {
        IPEndPoint? endpoint = _network?.Host.LocalEndpoint;
        string? hostPort = endpoint is null ? null : FormatEndpoint(endpoint);
        return new AdminNodeInfo(
            _self.Name,
            _self.Org,
            _self.Role == Ledger.Genesis.NodeRole.Validator ? "validator" : "observer",
            _self.Address,
            hostPort,
            hostPort is null ? null : AdminPeerTarget.Format(_self.Address, hostPort),
            _fingerprint,
            _chainId,
            _consensus,
            Version);
    }

    public IReadOnlyList<AdminPeerInfo> GetPeers()
    {
        if (_network is null)
        {
            return [];
        }

        var peers = new List<AdminPeerInfo>();
        foreach (PeerConnection connection in _network.Host.Peers)
        {
            if (connection.IsOpen)
            {
                peers.Add(Describe(connection));
            }
        }

        peers.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return peers;
    }

    public async Task<AdminPeerInfo> AddPeerAsync(AdminPeerTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        PeerNetwork network = RequireNetwork();
        if (target.Address is { } named)
        {
            lock (_gate)
            {
                _removed.Remove(named);
            }
        }

        // Who was connected before the dial: the host may keep or replace a connection to the same peer.
        List<PeerConnection> open = [.. network.Host.Peers];
        PeerConnection connection;
        try
        {
            connection = await network.Host.ConnectAsync(target.Endpoint, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            throw new InvalidOperationException($"cannot connect to peer {target.Text}: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"cannot connect to peer {target.Text}: no answer in time, or the node is stopping", e);
        }

        PeerIdentity remote = connection.Remote;
        if (target.Address is { } expected && remote.SigningAddress != expected)
        {
            // A peer connected before this call was admitted on its own account: it stays, on whichever connection the
            // host kept (a new dial in the same direction replaces the old one).
            bool existing = open.Any(c => c.Remote.NodeFingerprint == remote.NodeFingerprint);
            if (!existing)
            {
                connection.Close("not the node admin_addPeer named");
            }

            throw new InvalidOperationException(
                $"peer {target.Text} is node '{remote.Name}' with signing address {remote.SigningAddress.ToLowerHex()}, not {expected.ToLowerHex()} as named; " +
                (existing ? "it was already connected and stays so" : "disconnected"));
        }

        if (IsRemoved(remote.SigningAddress))
        {
            throw new InvalidOperationException(
                $"peer {target.Text} is node '{remote.Name}' ({remote.SigningAddress.ToLowerHex()}), which was removed with admin_removePeer; add it as {AdminPeerTarget.Format(remote.SigningAddress, target.Text)} to allow it again");
        }

        LogPeerAdded(_logger, remote.Name, remote.SigningAddress.ToLowerHex(), target.Text);
        return Describe(connection);
    }

    public bool RemovePeer(Address signingAddress)
    {
        PeerNetwork network = RequireNetwork();
        lock (_gate)
        {
            _removed.Add(signingAddress);
        }

        bool found = false;
        foreach (PeerConnection connection in network.Host.Peers)
        {
            if (connection.Remote.SigningAddress == signingAddress)
            {
                found = true;
                connection.Close(RemovedReason);
            }
        }

        LogPeerRemoved(_logger, signingAddress.ToLowerHex(), found);
        return found;
    }

    public LogLevel SetLogLevel(LogLevel level)
    {
        LogLevel previous = _logLevels.Level;
        _logLevels.Level = level;

        // Written at warning so the change is on record even when the new level hides information messages.
        LogLevelChanged(_logger, LogLevelSwitch.NameOf(previous), LogLevelSwitch.NameOf(level));
        return previous;
    }

    private static string Version =>
        typeof(NodeAdminOperations).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(NodeAdminOperations).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    private static AdminPeerInfo Describe(PeerConnection connection)
    {
        PeerIdentity remote = connection.Remote;
        return new AdminPeerInfo(
            remote.Name,
            remote.Organisation,
            remote.Role == PeerRole.Validator ? "validator" : "observer",
            remote.SigningAddress,
            connection.RemoteEndpoint is IPEndPoint ip ? FormatEndpoint(ip) : connection.RemoteEndpoint?.ToString(),
            connection.IsOutbound ? "outbound" : "inbound",
            remote.NodeFingerprint);
    }

    private static string FormatEndpoint(IPEndPoint endpoint)
    {
        IPAddress address = endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address;
        string host = address.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString();
        return host + ":" + endpoint.Port.ToString(CultureInfo.InvariantCulture);
    }

    private PeerNetwork RequireNetwork() =>
        _network ?? throw new InvalidOperationException($"node '{_self.Name}' has no peer network ({_consensus} consensus without a p2p section)");

    private bool IsRemoved(Address address)
    {
        lock (_gate)
        {
            return _removed.Contains(address);
        }
    }

    private void OnPeerConnected(object? sender, PeerEventArgs e)
    {
        if (IsRemoved(e.Peer.SigningAddress) && _network!.Host.TryGetPeer(e.Peer.NodeFingerprint, out PeerConnection? connection))
        {
            LogRemovedPeerRefused(_logger, e.Peer.Name, e.Peer.SigningAddress.ToLowerHex());
            connection.Close(RemovedReason);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "admin.apiKeyFile '{Path}' can be read by other users; make it readable by the node's user only (chmod 600)")]
    private static partial void LogKeyReadableByOthers(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "admin methods accept calls from any address with the API key (admin.allowRemote is true)")]
    private static partial void LogRemoteAdmin(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "admin: connected to peer {Name} ({Address}) at {Endpoint}")]
    private static partial void LogPeerAdded(ILogger logger, string name, string address, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "admin: removed peer {Address} (was connected: {Connected}); its connections are refused until admin_addPeer names it")]
    private static partial void LogPeerRemoved(ILogger logger, string address, bool connected);

    [LoggerMessage(Level = LogLevel.Information, Message = "refusing peer {Name} ({Address}): removed by admin_removePeer")]
    private static partial void LogRemovedPeerRefused(ILogger logger, string name, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "admin: log level changed from {Previous} to {Current}")]
    private static partial void LogLevelChanged(ILogger logger, string previous, string current);
}
