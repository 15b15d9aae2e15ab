import ClusLang
import CEditLine
