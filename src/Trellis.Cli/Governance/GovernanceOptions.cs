using System.CommandLine;

namespace Trellis.Cli.Governance;

/// <summary>Options shared by the governance commands.</summary>
internal static class GovernanceOptions
{
    public static Option<DirectoryInfo> Directory() => new("--dir", "-d")
    {
        Description = "Directory of a running network made by 'trellis up' (default ./trellis-net); admin keys come from its orgs/<org>/admin.key.",
        DefaultValueFactory = _ => new DirectoryInfo("trellis-net"),
    };

    public static Option<string> Org(string description, bool required) => new("--org")
    {
        Description = description,
        Required = required,
    };
}
