using System.CommandLine;
using Hean.ML.Registry;
using Microsoft.Extensions.Configuration;

namespace Hean.Host.Hosting;

/// <summary>
/// The model registry folder, one name and one default for every command (`hean train` writes there, `hean model`
/// manages it, `hean run` and `hean backtest` trade with its promoted model): --model-dir, else HEAN_MODEL_DIR, else
/// models/ in the data folder (HEAN_DATA_DIR or ./.hean).
/// </summary>
public static class ModelFolder
{
    public const string OptionName = "--model-dir";

    public static string Default(IConfiguration c) =>
        c["HEAN_MODEL_DIR"] is { } set && !string.IsNullOrWhiteSpace(set)
            ? Path.GetFullPath(set.Trim())
            : Path.Combine(Configuration.HeanSettings.DataDirOf(c), "models");

    /// <summary>
    /// The folder a run or a backtest trades with: HEAN_MODEL_DIR when it is set (set empty: none), else the default
    /// folder when a model is promoted there, else none (the technical strategy alone).
    /// </summary>
    public static string? ForTrading(IConfiguration c)
    {
        if (c["HEAN_MODEL_DIR"] is { } set) return string.IsNullOrWhiteSpace(set) ? null : Path.GetFullPath(set.Trim());
        var folder = Default(c);
        return new FileModelRegistry(folder).PromotedVersion() is null ? null : folder;
    }
}

/// <summary>--model-dir on a command; the command's former name for it (<c>train --out</c>, <c>model --dir</c>) is still taken, hidden from help.</summary>
public sealed record ModelDirOption(Option<string?> Current, Option<string?>? Former)
{
    public static ModelDirOption Create(string description, string? formerName = null, bool recursive = false) => new(
        new Option<string?>(ModelFolder.OptionName) { Description = description, Recursive = recursive },
        formerName is null ? null : new Option<string?>(formerName) { Hidden = true, Recursive = recursive });

    public void AddTo(Command command)
    {
        command.Options.Add(Current);
        if (Former is not null) command.Options.Add(Former);
    }

    /// <summary>The folder given on the command line (by either name), or null.</summary>
    public string? Value(ParseResult r) => r.GetValue(Current) ?? (Former is null ? null : r.GetValue(Former));
}
