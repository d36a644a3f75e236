using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Crypto.X509;
using PublicKey = Trellis.Crypto.PublicKey;

namespace Trellis.Network.Certificates;

/// <summary>
/// An organisation's certificate authority. Standard suite: one self-signed ECDSA P-256 root (subject O = org,
/// CN = "org CA") that issues node TLS certificates and admin certificates. National suite: a self-signed SM2 root
/// (SM3withSM2) that is the organisation's root of trust and issues admin certificates, plus a P-256 TLS CA whose
/// certificate the SM2 root signs; the TLS CA issues the node TLS certificates, because TLS (SslStream) needs P-256.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    /// <summary>How long a new CA is valid unless told otherwise.</summary>
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(3650);

    /// <summary>File names in a CA directory (<see cref="WriteTo"/>, <see cref="ReadFrom"/>).</summary>
    public const string CertificateFileName = "ca.crt";

    /// <summary>The CA's private key file (PKCS#8 PEM).</summary>
    public const string PrivateKeyFileName = "ca.key";

    /// <summary>The national suite's TLS CA certificate file.</summary>
    public const string TlsCertificateFileName = "tls-ca.crt";

    /// <summary>The national suite's TLS CA private key file.</summary>
    public const string TlsPrivateKeyFileName = "tls-ca.key";

    // Backdating covers clock skew between the machines of a consortium.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    // The national root's SM2 key (.NET cannot hold SM2 keys); null in the standard suite, whose root key is in Certificate.
    private readonly PrivateKey? _sm2Key;

    private CertificateAuthority(X509Certificate2 certificate, string organisation, PrivateKey? sm2Key, X509Certificate2? tlsAuthority)
    {
        Certificate = certificate;
        Organisation = organisation;
        _sm2Key = sm2Key;
        TlsAuthority = tlsAuthority ?? certificate;
        Suite = sm2Key is null ? CryptoSuites.Standard : CryptoSuites.National;
        Fingerprint = CertificateFingerprint.Of(certificate);
    }

    /// <summary>The root certificate (what the other members trust); in the standard suite with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// The CA that signs node TLS certificates, with its P-256 private key: the root itself in the standard suite,
    /// the SM2-certified TLS CA in the national suite.
    /// </summary>
    public X509Certificate2 TlsAuthority { get; }

    /// <summary>Whether node certificates are issued by a TLS CA distinct from the root (national suite).</summary>
    public bool HasSeparateTlsAuthority => !ReferenceEquals(TlsAuthority, Certificate);

    /// <summary>The crypto suite of the network this CA serves, and so of its admin keys.</summary>
    public ICryptoSuite Suite { get; }

    /// <summary>The organisation this CA belongs to.</summary>
    public string Organisation { get; }

    /// <summary>SHA-256 of the root certificate's DER bytes.</summary>
    public Hash256 Fingerprint { get; }

    /// <summary>Creates a new standard-suite (P-256) root for <paramref name="organisation"/>.</summary>
    /// <exception cref="ArgumentException">The organisation name is empty, too long or holds control characters.</exception>
    public static CertificateAuthority Create(string organisation, TimeSpan? validity = null) =>
        Create(organisation, CryptoSuites.Standard, validity);

    /// <summary>
    /// Creates a new CA for <paramref name="organisation"/> in <paramref name="suite"/>: a P-256 root (standard), or an
    /// SM2 root with a P-256 TLS CA it certifies (national).
    /// </summary>
    /// <exception cref="ArgumentException">The organisation name is empty, too long or holds control characters.</exception>
    public static CertificateAuthority Create(string organisation, ICryptoSuite suite, TimeSpan? validity = null)
    {
        ValidateName(organisation, nameof(organisation), "organisation");
        ArgumentNullException.ThrowIfNull(suite);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        DateTimeOffset notBefore = now - ClockSkew;
        DateTimeOffset notAfter = now + (validity ?? DefaultValidity);
        if (suite.Curve != CurveKind.Sm2)
        {
            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(Name(organisation + " CA", organisation, null), key, HashAlgorithmName.SHA256);
            AddAuthorityExtensions(request, pathLength: 0);
            return new CertificateAuthority(request.CreateSelfSigned(notBefore, notAfter), organisation, null, null);
        }

        PrivateKey sm2Key = suite.GeneratePrivateKey();
        var generator = new Sm2SignatureGenerator(sm2Key);
        X500DistinguishedName subject = Name(organisation + " CA", organisation, null);
        var rootRequest = new CertificateRequest(subject, generator.PublicKey, Sm2SignatureGenerator.Sm3);

        // The root certifies one level of CA below it: the organisation's TLS CA.
        AddAuthorityExtensions(rootRequest, pathLength: 1);
        X509Certificate2 root = rootRequest.Create(subject, generator, notBefore, notAfter, NewSerial());
        try
        {
            using ECDsa tlsKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var tlsRequest = new CertificateRequest(Name(organisation + " TLS CA", organisation, null), tlsKey, HashAlgorithmName.SHA256);
            AddAuthorityExtensions(tlsRequest, pathLength: 0);
            tlsRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, includeKeyIdentifier: true, includeIssuerAndSerial: false));
            using X509Certificate2 tlsPublic = tlsRequest.Create(subject, generator, notBefore, notAfter, NewSerial());
            return new CertificateAuthority(root, organisation, sm2Key, tlsPublic.CopyWithPrivateKey(tlsKey));
        }
        catch
        {
            root.Dispose();
            throw;
        }
    }

    /// <summary>Loads a standard-suite (P-256) CA from its certificate and PKCS#8 private key in PEM.</summary>
    /// <exception cref="ArgumentException">The PEM is unreadable, the key does not match, or it is not a CA.</exception>
    public static CertificateAuthority FromPem(string certificatePem, string privateKeyPem) =>
        FromPem(certificatePem, privateKeyPem, null, null);

    /// <summary>
    /// Loads a CA from PEM: the root certificate and key, and in the national suite (an SM2 root) also the TLS CA's
    /// certificate and key.
    /// </summary>
    /// <exception cref="ArgumentException">A PEM is unreadable, a key does not match its certificate, a certificate is
    /// not a CA, the TLS CA is missing or not certified by the root.</exception>
    public static CertificateAuthority FromPem(string certificatePem, string privateKeyPem, string? tlsCertificatePem, string? tlsPrivateKeyPem)
    {
        ArgumentNullException.ThrowIfNull(certificatePem);
        ArgumentNullException.ThrowIfNull(privateKeyPem);
        X509Certificate2 probe;
        try
        {
            probe = CertificatePem.ReadOne(certificatePem, "CA certificate PEM");
        }
        catch (FormatException e)
        {
            throw new ArgumentException(e.Message, nameof(certificatePem), e);
        }

        bool national;
        using (probe)
        {
            if (!CertificateKeys.TryReadCurveOid(probe, out string? curve, out string? keyError))
            {
                throw new ArgumentException($"CA certificate \"{probe.Subject}\": {keyError}", nameof(certificatePem));
            }

            national = curve == CertificateKeys.Sm2Oid;
            if (!national && curve != CertificateKeys.P256Oid)
            {
                throw new ArgumentException($"CA certificate \"{probe.Subject}\" has a key on curve {curve}; a CA key is P-256 (standard) or SM2 (national)", nameof(certificatePem));
            }
        }

        return national
            ? LoadNational(certificatePem, privateKeyPem, tlsCertificatePem, tlsPrivateKeyPem)
            : LoadStandard(certificatePem, privateKeyPem);
    }

    /// <summary>Loads a CA from a directory written by <see cref="WriteTo"/>.</summary>
    /// <exception cref="ArgumentException">Files are missing, too large or invalid.</exception>
    public static CertificateAuthority ReadFrom(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string certificate = ReadSmallFile(Path.Combine(directory, CertificateFileName));
        string key = ReadSmallFile(Path.Combine(directory, PrivateKeyFileName));
        string tlsCertificatePath = Path.Combine(directory, TlsCertificateFileName);
        string tlsKeyPath = Path.Combine(directory, TlsPrivateKeyFileName);
        string? tlsCertificate = File.Exists(tlsCertificatePath) ? ReadSmallFile(tlsCertificatePath) : null;
        string? tlsKey = File.Exists(tlsKeyPath) ? ReadSmallFile(tlsKeyPath) : null;
        return FromPem(certificate, key, tlsCertificate, tlsKey);
    }

    /// <summary>
    /// Writes the CA to <paramref name="directory"/>: ca.crt and ca.key, and in the national suite tls-ca.crt and
    /// tls-ca.key. Key files are created readable by the owner only where the platform allows.
    /// </summary>
    /// <exception cref="IOException">A file exists already (a CA is never overwritten).</exception>
    public void WriteTo(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory);
        var files = new List<(string Name, string Content, bool Secret)>
        {
            (CertificateFileName, ExportCertificatePem() + "\n", false),
            (PrivateKeyFileName, ExportPrivateKeyPem(), true),
        };
        if (HasSeparateTlsAuthority)
        {
            files.Add((TlsCertificateFileName, ExportTlsCertificatePem(), false));
            files.Add((TlsPrivateKeyFileName, ExportTlsPrivateKeyPem(), true));
        }

        foreach ((string name, _, _) in files)
        {
            string path = Path.Combine(directory, name);
            if (File.Exists(path))
            {
                throw new IOException($"{path} exists already; a CA is never overwritten");
            }
        }

        foreach ((string name, string content, bool secret) in files)
        {
            WriteNewFile(Path.Combine(directory, name), content, secret);
        }
    }

    /// <summary>
    /// Issues a node certificate: a fresh P-256 TLS key, subject CN = <paramref name="nodeName"/> and O = this
    /// organisation, usable for TLS server and client authentication, carrying <paramref name="signingAddress"/>
    /// (the node's ledger signing key) as a subjectAltName URI. Signed by <see cref="TlsAuthority"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The node name is empty, too long or holds control characters.</exception>
    public NodeCertificate IssueNodeCertificate(string nodeName, Address signingAddress, TimeSpan? validity = null)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return IssueNodeCertificate(nodeName, signingAddress, now - ClockSkew, now + (validity ?? NodeCertificate.DefaultValidity));
    }

    /// <summary>Issues a node certificate valid from <paramref name="notBefore"/> to <paramref name="notAfter"/> (capped at the CA's end).</summary>
    /// <exception cref="ArgumentException">The node name is invalid, or the period is empty.</exception>
    public NodeCertificate IssueNodeCertificate(string nodeName, Address signingAddress, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ValidateName(nodeName, nameof(nodeName), "node name");
        notAfter = CapValidity(notBefore, notAfter, TlsAuthority);
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Name(nodeName, Organisation, null), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            TlsAuthority, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri(NodeCertificateFields.AddressUri(signingAddress)));
        request.CertificateExtensions.Add(names.Build());

        // The generator overload (unlike the issuer-certificate one) allows a period starting before the CA's, which
        // is how certificates valid only in the past are made for tests of expiry.
        using ECDsa issuerKey = TlsAuthority.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException($"TLS CA of \"{Organisation}\" has no private key loaded");
        using X509Certificate2 publicOnly = request.Create(
            TlsAuthority.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), notBefore, notAfter, NewSerial());
        X509Certificate2 withKey = publicOnly.CopyWithPrivateKey(key);
        X509Certificate2 root = X509CertificateLoader.LoadCertificate(Certificate.RawData);
        X509Certificate2 authority = HasSeparateTlsAuthority ? X509CertificateLoader.LoadCertificate(TlsAuthority.RawData) : root;
        return new NodeCertificate(withKey, authority, root);
    }

    /// <summary>
    /// Issues an admin certificate for <paramref name="adminKey"/> (a key of this CA's suite): subject CN = name,
    /// OU = admin, O = organisation, subjectAltName = the key's address. Signed by the root (SM3withSM2 in the
    /// national suite, ECDSA-SHA256 in the standard one).
    /// </summary>
    /// <exception cref="ArgumentException">The name is invalid, or the key is of the other suite.</exception>
    public AdminCertificate IssueAdminCertificate(string name, PublicKey adminKey, TimeSpan? validity = null)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return IssueAdminCertificate(name, adminKey, now - ClockSkew, now + (validity ?? AdminCertificate.DefaultValidity));
    }

    /// <summary>Issues an admin certificate valid from <paramref name="notBefore"/> to <paramref name="notAfter"/> (capped at the CA's end).</summary>
    /// <exception cref="ArgumentException">The name is invalid, the key is of the other suite, or the period is empty.</exception>
    public AdminCertificate IssueAdminCertificate(string name, PublicKey adminKey, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ValidateName(name, nameof(name), "admin name");
        ArgumentNullException.ThrowIfNull(adminKey);
        if (adminKey.Curve != Suite.Curve)
        {
            throw new ArgumentException($"admin key is a {adminKey.Curve} key, but CA \"{Organisation}\" is of the {Suite.Name} suite ({Suite.Curve} keys)", nameof(adminKey));
        }

        notAfter = CapValidity(notBefore, notAfter, Certificate);
        var request = new CertificateRequest(Name(name, Organisation, AdminCertificate.Role), CertificateKeys.ToX509PublicKey(adminKey), SignatureHash);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri(NodeCertificateFields.AddressUri(Suite.ToAddress(adminKey))));
        request.CertificateExtensions.Add(names.Build());

        X509Certificate2 certificate;
        X509SignatureGenerator generator = CreateRootSigner(out IDisposable? keyHolder);
        using (keyHolder)
        {
            certificate = request.Create(Certificate.SubjectName, generator, notBefore, notAfter, NewSerial());
        }

        try
        {
            return AdminCertificate.FromIssued(certificate, X509CertificateLoader.LoadCertificate(Certificate.RawData));
        }
        catch
        {
            certificate.Dispose();
            throw;
        }
    }

    /// <summary>The root certificate in PEM (public; this is what the other members trust).</summary>
    public string ExportCertificatePem() => Certificate.ExportCertificatePem();

    /// <summary>The root's private key as PKCS#8 PEM (P-256, or SM2 in the national suite).</summary>
    public string ExportPrivateKeyPem()
    {
        if (_sm2Key is not null)
        {
            return KeyEncoding.ExportPrivateKeyPem(CurveKind.Sm2, _sm2Key.Bytes);
        }

        using ECDsa key = Certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException($"CA \"{Organisation}\" has no private key loaded");
        return key.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>The TLS CA certificate in PEM (the root's in the standard suite).</summary>
    public string ExportTlsCertificatePem() => TlsAuthority.ExportCertificatePem() + "\n";

    /// <summary>The TLS CA's P-256 private key as PKCS#8 PEM (the root's in the standard suite).</summary>
    public string ExportTlsPrivateKeyPem()
    {
        using ECDsa key = TlsAuthority.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException($"TLS CA of \"{Organisation}\" has no private key loaded");
        return key.ExportPkcs8PrivateKeyPem() + "\n";
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (HasSeparateTlsAuthority)
        {
            TlsAuthority.Dispose();
        }

        Certificate.Dispose();
    }

    internal static void ValidateName(string name, string parameter, string what)
    {
        ArgumentNullException.ThrowIfNull(name, parameter);
        // 64 is the X.520 upper bound for both commonName and organizationName.
        if (name.Length is 0 or > 64)
        {
            throw new ArgumentException($"{what} \"{name}\" must be 1 to 64 characters, got {name.Length}", parameter);
        }

        foreach (char c in name)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"{what} \"{name}\" holds control character U+{(int)c:X4}; names must be printable", parameter);
            }
        }
    }

    private HashAlgorithmName SignatureHash => _sm2Key is null ? HashAlgorithmName.SHA256 : Sm2SignatureGenerator.Sm3;

    private X509SignatureGenerator CreateRootSigner(out IDisposable? keyHolder)
    {
        if (_sm2Key is not null)
        {
            keyHolder = null;
            return new Sm2SignatureGenerator(_sm2Key);
        }

        ECDsa key = Certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException($"CA \"{Organisation}\" has no private key loaded");
        keyHolder = key;
        return X509SignatureGenerator.CreateForECDsa(key);
    }

    private static CertificateAuthority LoadStandard(string certificatePem, string privateKeyPem)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificatePem, privateKeyPem);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"CA certificate or key PEM is not readable, or they do not match: {e.Message}", nameof(certificatePem), e);
        }

        try
        {
            RequireAuthority(certificate, nameof(certificatePem));
            string organisation = NodeCertificateFields.ReadOrganisation(certificate) ?? string.Empty;
            return new CertificateAuthority(certificate, organisation, null, null);
        }
        catch
        {
            certificate.Dispose();
            throw;
        }
    }

    private static CertificateAuthority LoadNational(string certificatePem, string privateKeyPem, string? tlsCertificatePem, string? tlsPrivateKeyPem)
    {
        if (tlsCertificatePem is null || tlsPrivateKeyPem is null)
        {
            throw new ArgumentException($"an SM2 (national) CA needs its TLS CA certificate and key too ({TlsCertificateFileName}, {TlsPrivateKeyFileName})", nameof(tlsCertificatePem));
        }

        PrivateKey sm2Key;
        try
        {
            (CurveKind curve, byte[] bytes) = KeyEncoding.ImportPrivateKeyPem(privateKeyPem);
            if (curve != CurveKind.Sm2)
            {
                throw new ArgumentException($"CA key is a {curve} key but the CA certificate has an SM2 key", nameof(privateKeyPem));
            }

            sm2Key = CryptoSuites.National.ImportPrivateKey(bytes);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"CA key PEM is not readable: {e.Message}", nameof(privateKeyPem), e);
        }

        X509Certificate2 root;
        try
        {
            root = CertificatePem.ReadOne(certificatePem, "CA certificate PEM");
        }
        catch (FormatException e)
        {
            throw new ArgumentException(e.Message, nameof(certificatePem), e);
        }

        X509Certificate2? tls = null;
        try
        {
            RequireAuthority(root, nameof(certificatePem));
            CertificateKeys.TryReadSuiteKey(root, out PublicKey? rootKey, out _);
            if (rootKey is null || !rootKey.Equals(CryptoSuites.National.DerivePublicKey(sm2Key)))
            {
                throw new ArgumentException($"CA key does not belong to CA certificate \"{root.Subject}\"", nameof(privateKeyPem));
            }

            try
            {
                tls = X509Certificate2.CreateFromPem(tlsCertificatePem, tlsPrivateKeyPem);
            }
            catch (CryptographicException e)
            {
                throw new ArgumentException($"TLS CA certificate or key PEM is not readable, or they do not match: {e.Message}", nameof(tlsCertificatePem), e);
            }

            RequireAuthority(tls, nameof(tlsCertificatePem));
            if (!tls.IssuerName.RawData.AsSpan().SequenceEqual(root.SubjectName.RawData)
                || !CertificateSignatures.TryVerify(tls, root, out string? error))
            {
                throw new ArgumentException($"TLS CA \"{tls.Subject}\" is not certified by CA \"{root.Subject}\"", nameof(tlsCertificatePem));
            }

            string organisation = NodeCertificateFields.ReadOrganisation(root) ?? string.Empty;
            return new CertificateAuthority(root, organisation, sm2Key, tls);
        }
        catch
        {
            tls?.Dispose();
            root.Dispose();
            throw;
        }
    }

    private static void RequireAuthority(X509Certificate2 certificate, string parameter)
    {
        if (certificate.Extensions["2.5.29.19"] is not X509BasicConstraintsExtension { CertificateAuthority: true })
        {
            throw new ArgumentException($"certificate \"{certificate.Subject}\" is not a CA: basicConstraints cA is not true", parameter);
        }
    }

    private static void AddAuthorityExtensions(CertificateRequest request, int pathLength)
    {
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority(pathLength));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
    }

    private static X500DistinguishedName Name(string commonName, string organisation, string? unit)
    {
        var subject = new X500DistinguishedNameBuilder();
        // The builder encodes in reverse order of adding; this gives the conventional O, OU, CN encoding.
        subject.AddCommonName(commonName);
        if (unit is not null)
        {
            subject.AddOrganizationalUnitName(unit);
        }

        subject.AddOrganizationName(organisation);
        return subject.Build();
    }

    private static DateTimeOffset CapValidity(DateTimeOffset notBefore, DateTimeOffset notAfter, X509Certificate2 issuer)
    {
        var issuerEnd = new DateTimeOffset(issuer.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        if (notAfter > issuerEnd)
        {
            notAfter = issuerEnd;
        }

        if (notAfter <= notBefore)
        {
            throw new ArgumentException($"validity from {notBefore:u} to {notAfter:u} is empty (the CA ends at {issuerEnd:u})", nameof(notAfter));
        }

        return notAfter;
    }

    private static byte[] NewSerial()
    {
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7f; // a positive INTEGER
        serial[0] |= 0x01; // and no leading zero byte, so it encodes in exactly 16 bytes
        return serial;
    }

    private static string ReadSmallFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException($"{path} does not exist", nameof(path));
        }

        long length = new FileInfo(path).Length;
        if (length > CertificatePem.MaxLength)
        {
            throw new ArgumentException($"{path} is {length} bytes; a CA file is at most {CertificatePem.MaxLength}", nameof(path));
        }

        return File.ReadAllText(path);
    }

    private static void WriteNewFile(string path, string content, bool secret)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (secret && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options);
        writer.Write(content);
    }
}
