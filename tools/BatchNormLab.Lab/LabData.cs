using BatchNormLab.Data;

namespace BatchNormLab.Lab;

/// <summary>Fetches the lab's Fashion-MNIST subset, checks every file's size and SHA-256, and decodes it with the library.</summary>
public static class LabData
{
    /// <summary>The training and test sets, or an exception whose message says which file is wrong and what to do.</summary>
    public static async Task<(Dataset Train, Dataset Test)> LoadAsync(HttpClient http, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        var raw = new List<byte[]>();
        foreach (var spec in LabDataFiles.Files)
        {
            var url = $"{LabDataFiles.Folder}/{spec.FileName}";
            progress?.Invoke($"Fetching {url} ({spec.Bytes / 1e6:F1} MB before compression) …");
            byte[] bytes;
            try
            {
                bytes = await http.GetByteArrayAsync(url);
            }
            catch (HttpRequestException e)
            {
                throw new DataFileException(url, $"Could not fetch the lab's data file '{url}' ({e.Message}). The lab must be served over HTTP together with its data/ folder, as the site build writes it.");
            }
            if (spec.Mismatch(bytes) is { } problem)
                throw new DataFileException(url, $"The lab's data file '{url}' is {problem}. Rebuild the site (bash build.sh) so the page and its data match.");
            raw.Add(bytes);
        }
        progress?.Invoke("Decoding the images …");
        IdxArray Idx(int i) => IdxReader.Read(new MemoryStream(raw[i], writable: false), LabDataFiles.Files[i].FileName);
        var train = FashionMnist.ToDataset("fashion-mnist train (lab subset)", Idx(0), LabDataFiles.TrainImages.FileName, Idx(1), LabDataFiles.TrainLabels.FileName, LabDataFiles.TrainCount);
        var test = FashionMnist.ToDataset("fashion-mnist test (lab subset)", Idx(2), LabDataFiles.TestImages.FileName, Idx(3), LabDataFiles.TestLabels.FileName, LabDataFiles.TestCount);
        return (train, test);
    }
}
