package io.blueorigin.cdn.admin.api;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses regular expressions whose compiled program would be huge, before RE2/J compiles them. RE2/J
 * matches in linear time, but it expands counted repetitions when compiling: {@code ((a{1000}){1000}){1000}}
 * is a billion instructions and exhausts the heap of whoever compiles it (admin and every node). Like RE2
 * (C++), whose {@code RepetitionWalker} refuses it, we bound the product of nested repetition counts by
 * {@value #MAX_NESTED_REPEAT}; {@link BanRules} also bounds the compiled program size.
 *
 * <p>This is a structural scan, not a parser: it skips escapes, {@code \Q...\E} and character classes,
 * tracks groups, and multiplies each {@code {n}}, {@code {n,}} or {@code {n,m}} (by m, else n) into the atom
 * or group before it. Anything it does not understand counts as a plain atom; syntax errors are left to
 * RE2/J.
 */
final class RegexLimits {
    /** Largest product of nested counted repetitions (RE2's limit). */
    static final long MAX_NESTED_REPEAT = 1000;
    private static final Pattern REPEAT = Pattern.compile("\\{(\\d{1,9})(,(\\d{0,9}))?\\}");
    /** Saturation bound for the product, so it cannot overflow. */
    private static final long CAP = 1L << 40;

    private RegexLimits() {}

    /** A group being scanned: the largest product inside it, and the weight of its last atom. */
    private static final class Frame {
        long max = 1;
        long last = 1;

        void atom(long weight) {
            last = weight;
            max = Math.max(max, weight);
        }
    }

    /** The largest product of nested repetition counts in {@code regex} (1 when it has none). */
    static long nestedRepeatProduct(String regex) {
        Deque<Frame> frames = new ArrayDeque<>();
        frames.push(new Frame());
        Matcher repeat = REPEAT.matcher(regex);
        int i = 0;
        while (i < regex.length()) {
            char c = regex.charAt(i);
            Frame top = frames.peek();
            switch (c) {
                case '\\' -> {
                    i = skipEscape(regex, i);
                    top.atom(1);
                }
                case '[' -> {
                    i = skipClass(regex, i);
                    top.atom(1);
                }
                case '(' -> {
                    frames.push(new Frame());
                    i++;
                }
                case ')' -> {
                    if (frames.size() > 1) {
                        long inner = frames.pop().max;
                        frames.peek().atom(inner);
                    }
                    i++;
                }
                case '{' -> {
                    if (repeat.find(i) && repeat.start() == i) {
                        long count = repeat.group(3) != null && !repeat.group(3).isEmpty()
                                ? Long.parseLong(repeat.group(3)) : Long.parseLong(repeat.group(1));
                        top.atom(Math.min(CAP, top.last * Math.max(1, count)));
                        i = repeat.end();
                    } else {
                        top.atom(1);
                        i++;
                    }
                }
                case '*', '+', '?' -> i++; // uncounted: the program does not grow with them
                case '|' -> {
                    top.last = 1;
                    i++;
                }
                default -> {
                    top.atom(1);
                    i++;
                }
            }
        }
        long max = 1;
        for (Frame frame : frames) {
            max = Math.max(max, frame.max);
        }
        return max;
    }

    private static int skipEscape(String regex, int i) {
        if (i + 1 >= regex.length()) {
            return regex.length();
        }
        char next = regex.charAt(i + 1);
        if (next == 'Q') {
            int end = regex.indexOf("\\E", i + 2);
            return end < 0 ? regex.length() : end + 2;
        }
        if ((next == 'p' || next == 'P' || next == 'x') && i + 2 < regex.length() && regex.charAt(i + 2) == '{') {
            int end = regex.indexOf('}', i + 3);
            return end < 0 ? regex.length() : end + 1;
        }
        return i + 2;
    }

    private static int skipClass(String regex, int i) {
        int j = i + 1;
        if (j < regex.length() && regex.charAt(j) == '^') {
            j++;
        }
        if (j < regex.length() && regex.charAt(j) == ']') {
            j++; // a leading ']' is a literal
        }
        while (j < regex.length()) {
            char c = regex.charAt(j);
            if (c == '\\') {
                j += 2;
            } else if (c == '[' && j + 1 < regex.length() && regex.charAt(j + 1) == ':') {
                int end = regex.indexOf(":]", j + 2);
                j = end < 0 ? j + 1 : end + 2;
            } else if (c == ']') {
                return j + 1;
            } else {
                j++;
            }
        }
        return regex.length();
    }
}
