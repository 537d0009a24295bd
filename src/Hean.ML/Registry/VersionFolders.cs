using System.Globalization;

namespace Hean.ML.Registry;

/// <summary>
/// Numbered version folders (<c>v0001</c>, <c>v0002</c>…) under one root, as the model registry and the RL policy
/// store keep them. A version is written into a staging folder and renamed into place, so a reader never sees half
/// of one; two writers racing for a number each end up with their own.
/// </summary>
public static class VersionFolders
{
    /// <summary>"v0001" for 1.</summary>
    public static string Name(int number) => "v" + number.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>The number of a version folder name ("v0003", "v3"), or null when it is not one.</summary>
    public static int? Number(string name) =>
        name.Length > 1 && name[0] == 'v' && int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    /// <summary>The version folder names under <paramref name="root"/>, by number; empty when it does not exist.</summary>
    public static IReadOnlyList<string> List(string root) =>
        Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.GetFileName(d)).Where(n => Number(n) is not null).OrderBy(n => Number(n)).ToList()
            : [];

    /// <summary>
    /// Adds the next version: <paramref name="writeFiles"/> fills a staging folder; <paramref name="stamp"/> writes what
    /// names the version (its manifest) into the staging folder for a version name and returns it; then the folder is
    /// renamed into place. Another writer that took the number first makes this one take the next.
    /// </summary>
    public static T Publish<T>(string root, Action<string> writeFiles, Func<string, string, T> stamp)
    {
        Directory.CreateDirectory(root);
        var staging = Path.Combine(root, $".staging-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            writeFiles(staging);
            for (var attempt = 0; ; attempt++)
            {
                var version = Name(List(root).Select(n => Number(n)!.Value).DefaultIfEmpty(0).Max() + 1);
                var stamped = stamp(staging, version);
                try
                {
                    Directory.Move(staging, Path.Combine(root, version));
                    return stamped;
                }
                catch (IOException) when (attempt < 10 && Directory.Exists(Path.Combine(root, version)))
                {
                    // another writer took this number first: take the next one
                }
            }
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }
}
