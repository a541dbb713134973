// Runs EPUBCheck on many publications in one JVM (EPUBCheck's own CLI checks one per run).
// Usage: java -cp epubcheck.jar EpubCheckBatch.java OUT_DIR FILE.epub...
// Writes OUT_DIR/<n>.json (EPUBCheck's JSON report) for the n-th file, 0-based.
import com.adobe.epubcheck.tool.EpubChecker;
import java.io.File;

public class EpubCheckBatch {
    public static void main(String[] args) {
        File out = new File(args[0]);
        for (int i = 1; i < args.length; i++) {
            String json = new File(out, (i - 1) + ".json").getPath();
            new EpubChecker().run(new String[] {args[i], "--json", json, "--quiet"});
        }
    }
}
