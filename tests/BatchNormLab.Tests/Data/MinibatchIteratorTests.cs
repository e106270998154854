using BatchNormLab.Data;

namespace BatchNormLab.Tests.Data;

public class MinibatchIteratorTests
{
    // 4 classes x 30 = 120 examples; every row's first value encodes its index, so batches can be traced.
    private static Dataset Data(int perClass = 30)
    {
        var d = SyntheticData.GaussianBlobs(4, 3, perClass, seed: 5);
        for (var i = 0; i < d.Count; i++) d.Images[i, 0] = i;
        return d;
    }

    private static List<int[]> Epoch(MinibatchIterator it)
    {
        var batches = new List<int[]>();
        for (var b = 0; b < it.BatchesPerEpoch; b++) batches.Add((int[])it.Next().Indices.Clone());
        return batches;
    }

    [Fact]
    public void Shuffled_visits_every_example_once_per_epoch_with_matching_rows()
    {
        var data = Data();
        var it = new MinibatchIterator(data, 10, BatchOrder.Shuffled, seed: 1);
        for (var epoch = 0; epoch < 3; epoch++)
        {
            var seen = new List<int>();
            for (var b = 0; b < it.BatchesPerEpoch; b++)
            {
                var batch = it.Next();
                Assert.Equal(epoch, batch.Epoch);
                for (var r = 0; r < batch.Size; r++)
                {
                    var k = batch.Indices[r];
                    Assert.Equal(data.Labels[k], batch.Labels[r]);
                    Assert.Equal(data.Images.Row(k).ToArray(), batch.Images.Row(r).ToArray());
                }
                seen.AddRange(batch.Indices);
            }
            Assert.Equal(Enumerable.Range(0, data.Count), seen.Order());
        }
    }

    [Fact]
    public void Shuffled_order_differs_between_epochs_and_from_file_order()
    {
        var it = new MinibatchIterator(Data(), 10, BatchOrder.Shuffled, seed: 1);
        var e0 = Epoch(it).SelectMany(b => b).ToArray();
        var e1 = Epoch(it).SelectMany(b => b).ToArray();
        Assert.NotEqual(e0, e1);
        Assert.NotEqual(Enumerable.Range(0, e0.Length).ToArray(), e0);
    }

    [Fact]
    public void Same_seed_gives_the_same_batches_and_another_seed_other_batches()
    {
        var data = Data();
        var a = new MinibatchIterator(data, 12, BatchOrder.Shuffled, seed: 42);
        var b = new MinibatchIterator(data, 12, BatchOrder.Shuffled, seed: 42);
        var c = new MinibatchIterator(data, 12, BatchOrder.Shuffled, seed: 43);
        var sa = Epoch(a).Concat(Epoch(a)).SelectMany(x => x).ToArray();
        var sb = Epoch(b).Concat(Epoch(b)).SelectMany(x => x).ToArray();
        var sc = Epoch(c).Concat(Epoch(c)).SelectMany(x => x).ToArray();
        Assert.Equal(sa, sb);
        Assert.NotEqual(sa, sc);
    }

    [Fact]
    public void File_order_is_the_data_order_every_epoch()
    {
        var data = Data();
        var it = new MinibatchIterator(data, 10, BatchOrder.FileOrder);
        for (var epoch = 0; epoch < 2; epoch++)
            Assert.Equal(Enumerable.Range(0, data.Count), Epoch(it).SelectMany(b => b));
    }

    [Fact]
    public void Sorted_by_class_is_sorted_and_stable_within_a_class()
    {
        var data = Data();
        var it = new MinibatchIterator(data, 10, BatchOrder.SortedByClass);
        var order = Epoch(it).SelectMany(b => b).ToArray();
        Assert.Equal(Enumerable.Range(0, data.Count), order.Order());
        for (var i = 1; i < order.Length; i++)
        {
            var (prev, cur) = (data.Labels[order[i - 1]], data.Labels[order[i]]);
            Assert.True(prev <= cur, $"class {prev} before {cur} at position {i}");
            if (prev == cur) Assert.True(order[i - 1] < order[i], "file order within a class");
        }
        // Most batches hold a single class: the point of this order.
        var pure = Epoch(it).Count(b => b.Select(k => data.Labels[k]).Distinct().Count() == 1);
        Assert.True(pure >= 8, $"{pure} of 12 batches hold one class");
    }

    [Fact]
    public void An_incomplete_last_batch_is_skipped_and_the_next_epoch_starts()
    {
        var data = Data(perClass: 6); // 24 examples, batches of 10: 2 per epoch, 4 left over
        var it = new MinibatchIterator(data, 10, BatchOrder.FileOrder);
        Assert.Equal(2, it.BatchesPerEpoch);
        Assert.Equal(0, it.Next().Indices[0]);
        Assert.Equal(10, it.Next().Indices[0]);
        var third = it.Next();
        Assert.Equal(1, third.Epoch);
        Assert.Equal(0, third.Indices[0]);
        Assert.Equal(2, third.Step);
    }

    [Fact]
    public void Next_reuses_its_buffers_and_allocates_nothing()
    {
        var it = new MinibatchIterator(Data(), 10, BatchOrder.Shuffled, seed: 3);
        var first = it.Next();
        for (var i = 0; i < 50; i++) it.Next(); // warm up (JIT, several epochs)
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++) Assert.Same(first, it.Next());
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Bad_batch_sizes_are_rejected_with_the_range()
    {
        var data = Data();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MinibatchIterator(data, 121));
        Assert.Contains("1..120", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MinibatchIterator(data, 0));
    }
}
