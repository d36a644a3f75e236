namespace Trellis.Network.Certificates;

/// <summary>The kinds of certificate an organisation's CA deals in.</summary>
public enum CertificateKind
{
    /// <summary>A node's TLS certificate (P-256), carrying its ledger signing address.</summary>
    Node,

    /// <summary>An administrator's certificate (suite key), subject OU=admin.</summary>
    Admin,

    /// <summary>A CA: an organisation's root, or its TLS CA in the national suite.</summary>
    Authority,
}
