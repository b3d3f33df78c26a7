package io.blueorigin.cdn.storage.rocks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The body file's free space: placement, coalescing, the high-water mark, rebuilding at open and refusals. */
class ExtentAllocatorTest {
    private final ExtentAllocator space = new ExtentAllocator();

    @Test
    void runsArePlacedOneAfterAnotherAtTheHighWaterMarkWhileNothingIsFree() {
        assertThat(space.allocate(4)).isZero();
        assertThat(space.allocate(1)).isEqualTo(4);
        assertThat(space.allocate(64)).isEqualTo(5);
        assertThat(space.end()).isEqualTo(69);
        assertThat(space.freeBlocks()).isZero();
    }

    @Test
    void aFreedRunIsReusedByTheSmallestHoleThatHoldsARequest() {
        long a = space.allocate(8);
        space.allocate(1);
        long b = space.allocate(3);
        space.allocate(1);
        assertThat(space.free(a, 8)).isTrue();
        assertThat(space.free(b, 3)).isTrue();
        assertThat(space.allocate(2)).as("best fit: the 3-block hole, not the 8-block one").isEqualTo(b);
        assertThat(space.allocate(8)).isEqualTo(a);
        assertThat(space.allocate(2)).as("no hole holds it: at the mark").isEqualTo(13);
        assertThat(space.freeBlocks()).as("the 1-block rest of the 3-block hole").isEqualTo(1);
    }

    @Test
    void neighbouringFreeRunsMergeIntoOne() {
        long a = space.allocate(2);
        long b = space.allocate(2);
        long c = space.allocate(2);
        space.allocate(1);
        space.free(a, 2);
        space.free(c, 2);
        assertThat(space.freeRuns()).isEqualTo(2);
        space.free(b, 2);
        assertThat(space.freeRuns()).isEqualTo(1);
        assertThat(space.allocate(6)).as("one run of the three").isEqualTo(a);
    }

    @Test
    void freeingTheRunsAtTheEndLowersTheHighWaterMark() {
        long a = space.allocate(2);
        long b = space.allocate(2);
        long c = space.allocate(2);
        space.free(b, 2);
        space.free(c, 2);
        assertThat(space.end()).as("b and c merged and reached the mark").isEqualTo(2);
        assertThat(space.freeRuns()).isZero();
        space.free(a, 2);
        assertThat(space.end()).isZero();
        assertThat(space.freeBlocks()).isZero();
    }

    @Test
    void reservingTheUsedRunsInAnyOrderLeavesTheGapsBetweenThemFree() {
        assertThat(space.reserve(10, 2)).isTrue();
        assertThat(space.reserve(0, 3)).isTrue();
        assertThat(space.reserve(5, 1)).isTrue();
        assertThat(space.end()).isEqualTo(12);
        assertThat(space.freeBlocks()).as("3-4 and 6-9").isEqualTo(6);
        assertThat(space.allocate(2)).isEqualTo(3);
        assertThat(space.allocate(4)).isEqualTo(6);
        assertThat(space.allocate(1)).isEqualTo(12);
    }

    @Test
    void aRunThatIsNotWhollyInUseIsNeitherFreedNorReservedTwice() {
        long a = space.allocate(4);
        space.allocate(4);
        assertThat(space.free(a, 4)).isTrue();
        assertThat(space.free(a, 4)).as("a double free").isFalse();
        assertThat(space.free(a + 2, 4)).as("half free").isFalse();
        assertThat(space.free(100, 1)).as("beyond the mark").isFalse();
        assertThat(space.free(0, 0)).isFalse();
        assertThat(space.reserve(a + 2, 4)).as("overlaps a used run").isFalse();
        assertThat(space.reserve(a, 4)).isTrue();
        assertThat(space.reserve(a, 4)).as("reserved twice").isFalse();
        assertThat(space.freeBlocks()).isZero();
        assertThat(space.end()).isEqualTo(8);
    }

    @Test
    void underRandomChurnEveryBlockIsOwnedByOneRunAtMostAndAllFreedEndsAtZero() {
        Random random = new Random(7);
        List<long[]> used = new ArrayList<>();
        boolean[] owned = new boolean[1 << 16];
        for (int step = 0; step < 20_000; step++) {
            if (!used.isEmpty() && (random.nextInt(3) == 0 || used.size() > 300)) {
                long[] run = used.remove(random.nextInt(used.size()));
                assertThat(space.free(run[0], run[1])).isTrue();
                for (long b = run[0]; b < run[0] + run[1]; b++) {
                    owned[(int) b] = false;
                }
            } else {
                long blocks = 1 + random.nextInt(64);
                long start = space.allocate(blocks);
                for (long b = start; b < start + blocks; b++) {
                    assertThat(owned[(int) b]).as("block %d handed out twice", b).isFalse();
                    owned[(int) b] = true;
                }
                used.add(new long[] {start, blocks});
            }
        }
        long inUse = used.stream().mapToLong(r -> r[1]).sum();
        assertThat(space.end()).isEqualTo(inUse + space.freeBlocks());
        assertThat(space.end()).as("holes stay a fraction of what is used").isLessThan(2 * inUse + 64);
        for (long[] run : used) {
            assertThat(space.free(run[0], run[1])).isTrue();
        }
        assertThat(space.end()).isZero();
        assertThat(space.freeRuns()).isZero();
    }
}
